import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClaudeCodeRuntime } from '../../../runtimes/cli/claudeCode/ClaudeCodeRuntime';
import { CodexRuntime } from '../../../runtimes/cli/codex/CodexRuntime';
import { ScriptedRuntime } from '../../../runtimes/scripted/ScriptedRuntime';

/** The runtime of `id` in this pod, or why there is none. */
export type RunnerRuntime = { runtime: AgentRuntime } | { unavailable: string };

/** An executable `name` on PATH, like `command -v`. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * The runtimes a runner pod can play: the scripted one always, Claude Code and Codex when their
 * CLI is on the image's PATH (or named by KRATE_CLAUDE_CODE_EXECUTABLE / KRATE_CODEX_EXECUTABLE).
 * Their API keys come from the environment, which holds only what grants give the runner's
 * service account. Agent Mux runs in its own gateway, never in a pod.
 */
export async function runnerRuntime(
  id: string,
  env: NodeJS.ProcessEnv,
  logger: LoggerService,
): Promise<RunnerRuntime> {
  const sessionsDir =
    env.KRATE_SESSIONS_DIR ?? path.join(os.tmpdir(), 'krate-sessions');
  let runtime: AgentRuntime;
  if (id === 'scripted') {
    return { runtime: new ScriptedRuntime() };
  } else if (id === 'claude-code') {
    const executable =
      env.KRATE_CLAUDE_CODE_EXECUTABLE ?? onPath('claude', env);
    if (!executable) return { unavailable: 'claude is not on the PATH' };
    runtime = new ClaudeCodeRuntime({
      executable,
      sessionsDir,
      logger,
      apiKey: env.ANTHROPIC_API_KEY,
      baseUrl: env.ANTHROPIC_BASE_URL,
    });
  } else if (id === 'codex') {
    const executable = env.KRATE_CODEX_EXECUTABLE ?? onPath('codex', env);
    if (!executable) return { unavailable: 'codex is not on the PATH' };
    runtime = new CodexRuntime({
      executable,
      sessionsDir,
      logger,
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
    });
  } else {
    return { unavailable: `the runtime '${id}' does not run in a pod` };
  }
  const availability = await runtime.checkAvailability!();
  return availability.available
    ? { runtime }
    : { unavailable: availability.reason };
}
