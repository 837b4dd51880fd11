export { agentsModuleScriptedRuntime } from './agentsModuleScriptedRuntime';
export { ScriptedRuntime } from './ScriptedRuntime';
