export { agentsModuleClaudeCodeRuntime } from './claudeCode/agentsModuleClaudeCodeRuntime';
export { ClaudeCodeRuntime } from './claudeCode/ClaudeCodeRuntime';
export type { ClaudeCodeRuntimeOptions } from './claudeCode/ClaudeCodeRuntime';
export { CLAUDE_CODE_VERSION } from './claudeCode/claudeCodePackage';
export { agentsModuleCodexRuntime } from './codex/agentsModuleCodexRuntime';
export { CodexRuntime } from './codex/CodexRuntime';
export type { CodexRuntimeOptions } from './codex/CodexRuntime';
export { CODEX_VERSION } from './codex/codexPackage';
export { CliInstaller, defaultCliCacheDir } from './CliInstaller';
export type {
  CliCommand,
  CliInstallerOptions,
  CliPackage,
} from './CliInstaller';
