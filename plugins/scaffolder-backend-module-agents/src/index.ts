/**
 * Scaffolder actions for Krate Agents: `agents:apply` and `agents:dispatch`.
 *
 * @packageDocumentation
 */

export { scaffolderModuleAgents as default } from './module';
export { createAgentsApplyAction } from './actions/applyAction';
export { createAgentsDispatchAction } from './actions/dispatchAction';
