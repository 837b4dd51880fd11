/**
 * The Krate Agents backend plugin, and the modules of the agent runtimes it ships.
 *
 * @packageDocumentation
 */

export { agentsPlugin as default } from './plugin';
export {
  agentsModuleScriptedRuntime,
  ScriptedRuntime,
} from './runtimes/scripted';
export {
  agentsModuleClaudeCodeRuntime,
  agentsModuleCodexRuntime,
} from './runtimes/cli';
export { agentsModuleAgentMuxRuntime } from './runtimes/agentMux';
