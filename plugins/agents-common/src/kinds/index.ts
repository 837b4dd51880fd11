export * from './schema';
export * from './meta';
export * from './defineKind';
export * from './registry';
export * from './validate';
export { renderCrd } from './crd';
export * from './AgentStack';
export * from './AgentDispatchRun';
