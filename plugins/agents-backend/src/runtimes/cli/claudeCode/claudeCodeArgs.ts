import { AgentLaunch } from '@krate/plugin-agents-node';
import { SessionMode } from '../runCliAttempt';

function agents(launch: AgentLaunch) {
  const defined: Record<string, object> = {};
  for (const { name, spec } of launch.profile.subagents) {
    if (spec.runtime && spec.runtime !== 'claude-code') {
      continue;
    }
    defined[name] = {
      description: spec.whenToUse,
      prompt: spec.systemPrompt ?? spec.whenToUse,
      ...(spec.tools ? { tools: spec.tools } : {}),
      ...(spec.model ? { model: spec.model } : {}),
      ...(spec.maxTurns ? { maxTurns: spec.maxTurns } : {}),
    };
  }
  return Object.keys(defined).length ? defined : undefined;
}

/**
 * `claude -p` in stream-json mode for a launch. Permissions stay in `default` mode, so every
 * tool goes through the PreToolUse hook, whose `allow` lets it run; if the hook itself broke,
 * Claude Code would still refuse writes on its own. Only user settings (the fresh config folder),
 * `--settings` and the stack's MCP servers are read: a repository's `.claude/settings.json` or
 * `.mcp.json` could otherwise add hooks or servers that run commands without approval; the
 * stack's servers come from `mcpConfigFile` (see claudeMcpConfig). The prompt is read from stdin.
 * Flags that take several values use the `--flag=value` form so they cannot swallow a following
 * argument.
 */
export function claudeCodeArgs(
  launch: AgentLaunch,
  settings: object,
  session: SessionMode,
  mcpConfigFile?: string,
): string[] {
  const { profile } = launch;
  const args = [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-mode',
    'default',
    '--setting-sources',
    'user',
    '--strict-mcp-config',
    '--settings',
    JSON.stringify(settings),
  ];
  if (profile.model) {
    args.push('--model', profile.model);
  }
  if (profile.systemPrompt) {
    args.push('--append-system-prompt', profile.systemPrompt);
  }
  const denied: string[] = profile.toolProfile?.spec.deniedTools ?? [];
  if (denied.length) {
    args.push(`--disallowedTools=${denied.join(',')}`);
  }
  if (mcpConfigFile) {
    args.push(`--mcp-config=${mcpConfigFile}`);
  }
  const subagents = agents(launch);
  if (subagents) {
    args.push('--agents', JSON.stringify(subagents));
  }
  if (session.kind !== 'new') {
    args.push('--resume', session.sessionId);
    if (session.kind === 'fork') {
      args.push('--fork-session');
    }
  }
  return args;
}
