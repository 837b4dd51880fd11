import { spawn } from 'node:child_process';
import { GitError } from '../../workspaces/GitCli';

export interface PlumbingOptions {
  /** Set after the caller's environment is cleaned: a temporary index, commit identities. */
  env?: Record<string, string>;
  /** Written to git's stdin, which is then closed. */
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures; default `[0]`. */
  okExitCodes?: number[];
  timeoutMs?: number;
}

export interface PlumbingRun {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 64 * 1024;

// What would point git at another repository, index or identity than the ones given here.
const INHERITED_GIT_VARIABLES = /^GIT_/;

function plumbingEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!INHERITED_GIT_VARIABLES.test(name)) env[name] = value;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

/**
 * Runs a git plumbing command in a memory repository with an argument array (never a shell), an
 * environment of its own (temporary index, commit identities) and a timeout. Hooks and fsmonitors
 * the repository configures never run. Failures become GitError.
 */
export function runPlumbing(
  repositoryPath: string,
  args: string[],
  options: PlumbingOptions = {},
): Promise<PlumbingRun> {
  const okExitCodes = options.okExitCodes ?? [0];
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      [
        '-c',
        'core.hooksPath=/dev/null',
        '-c',
        'core.fsmonitor=false',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      {
        cwd: repositoryPath,
        env: plumbingEnv(options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let settled = false;
    const timer = setTimeout(
      () => fail(undefined, `timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
    function fail(exitCode: number | undefined, message: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new GitError(args, exitCode, message));
    }
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_OUTPUT_BYTES) {
        fail(undefined, `output exceeds ${MAX_OUTPUT_BYTES} bytes`);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) {
        stderr.push(chunk);
        stderrBytes += chunk.length;
      }
    });
    child.on('error', error => fail(undefined, error.message));
    child.on('close', code => {
      if (settled) return;
      const errorText = Buffer.concat(stderr).toString('utf8');
      if (code === null || !okExitCodes.includes(code)) {
        fail(code ?? undefined, errorText || 'no output');
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: errorText,
        exitCode: code,
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
