import { execFile } from 'node:child_process';
import { minimalEnvironment } from './minimalEnvironment';
import { StepFailure } from './StepFailure';

const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Runs a read-only git command for the scripted agent. The repository is the agent's work, not
 * trusted code: hooks, fsmonitor and optional index writes are off, and callers pass
 * `--no-ext-diff --no-textconv` so configured diff drivers never run. `okExitCodes` lists the
 * codes that are answers rather than failures (`diff --no-index` exits 1 on differences).
 */
export function runGit(
  cwd: string,
  args: string[],
  options: { signal: AbortSignal; okExitCodes?: number[] },
): Promise<string> {
  const ok = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args],
      {
        cwd,
        signal: options.signal,
        maxBuffer: MAX_OUTPUT,
        env: {
          ...minimalEnvironment(),
          GIT_TERMINAL_PROMPT: '0',
          GIT_OPTIONAL_LOCKS: '0',
          LC_ALL: 'C',
        },
      },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (!error || (typeof code === 'number' && ok.includes(code))) {
          resolve(String(stdout));
        } else if (options.signal.aborted) {
          reject(options.signal.reason);
        } else {
          reject(
            new StepFailure(
              'ToolFailed',
              `git ${args[0]} failed: ${
                String(stderr).trim() || error.message
              }`,
            ),
          );
        }
      },
    );
  });
}
