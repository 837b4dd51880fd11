/**
 * Resource kinds, schemas, permissions and constants shared by the Krate Agents plugins.
 *
 * @packageDocumentation
 */

export * from './accessApi';
export * from './grantRules';
export * from './audit';
export * from './budgets';
export * from './configurationProposals';
export * from './objectPaths';
export * from './constants';
export * from './health';
export * from './repository';
export * from './kinds';
export * from './events';
export * from './dispatch';
export * from './triggers';
export * from './signals';
export * from './permissions';
export * from './roleTemplates';
export * from './writeBack';
