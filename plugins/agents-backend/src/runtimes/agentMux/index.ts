export { agentsModuleAgentMuxRuntime } from './agentsModuleAgentMuxRuntime';
export { AgentMuxRuntime } from './AgentMuxRuntime';
export type { AgentMuxRuntimeOptions } from './AgentMuxRuntime';
