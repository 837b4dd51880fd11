/**
 * The Krate Agents backend plugin, and the modules of the agent runtimes and write-back targets it
 * ships.
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
export {
  agentsModuleGithubWriteBack,
  GithubWriteBackTarget,
} from './writeback/targets/github';
export type { GithubWriteBackTargetOptions } from './writeback/targets/github';
export {
  agentsModuleGiteaWriteBack,
  GiteaWriteBackTarget,
} from './writeback/targets/gitea';
export type { GiteaWriteBackTargetOptions } from './writeback/targets/gitea';
export { runAgentRunner } from './kubernetes/pods/runner/runAgentRunner';
