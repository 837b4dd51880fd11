import { spawn } from 'node:child_process';
import { GitError } from '../../workspaces/GitCli';

export interface RunGitOptions {
  timeoutMs: number;
  /** Written to git's stdin, which is then closed. */
  input?: string | Buffer;
  /** Set after the inherited git variables are dropped: a temporary index, commit identities. */
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures; default `[0]`. */
  okExitCodes?: number[];
  /** A collected stdout larger than this fails the command. */
  maxOutputBytes: number;
  /**
   * Receives stdout as it arrives instead of collecting it; answering false stops git there and
   * the run resolves with `exitCode` undefined.
   */
  onStdout?: (chunk: Buffer) => boolean;
}

export interface GitRun {
  /** Empty when `onStdout` took the output. */
  stdout: Buffer;
  /** Undefined when `onStdout` stopped git early. */
  exitCode: number | undefined;
  /** What git said on stderr (its first 64 KiB), for an exit code that is an answer. */
  stderr: string;
}

const MAX_STDERR_BYTES = 64 * 1024;

// Inherited variables could point git at another repository, index, object store or identity.
const INHERITED_GIT_VARIABLES = /^GIT_/;

function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!INHERITED_GIT_VARIABLES.test(name)) env[name] = value;
  }
  return {
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    // Paths given by readers are file and folder names, never globs or pathspec magic.
    GIT_LITERAL_PATHSPECS: '1',
    // A commit must read the same everywhere: no local replacement objects.
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    ...extra,
  };
}

/**
 * Runs git in `cwd` with an argument array (never a shell) and a timeout, streaming stdin and
 * stdout so that large answers can be capped or stopped early. Failures become GitError.
 */
export function runGit(
  cwd: string,
  args: string[],
  options: RunGitOptions,
): Promise<GitRun> {
  const okExitCodes = options.okExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn(
      'git',
      [
        // Repositories are not trusted code: never run their hooks or an fsmonitor they configure.
        '-c',
        'core.hooksPath=/dev/null',
        '-c',
        'core.fsmonitor=false',
        '-c',
        'protocol.ext.allow=never',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      { cwd, env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let settled = false;
    let stopped = false;

    const timer = setTimeout(
      () => fail(undefined, `timed out after ${options.timeoutMs} ms`),
      options.timeoutMs,
    );

    function fail(exitCode: number | undefined, message: string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new GitError(args, exitCode, message));
    }

    child.stdout.on('data', (chunk: Buffer) => {
      if (settled || stopped) return;
      if (options.onStdout) {
        if (!options.onStdout(chunk)) {
          stopped = true;
          child.kill('SIGTERM');
        }
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxOutputBytes) {
        fail(undefined, `output exceeds ${options.maxOutputBytes} bytes`);
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
      if (stopped) {
        settled = true;
        clearTimeout(timer);
        resolve({
          stdout: Buffer.alloc(0),
          exitCode: undefined,
          stderr: Buffer.concat(stderr).toString('utf8'),
        });
        return;
      }
      const errorText = Buffer.concat(stderr).toString('utf8');
      if (code === null || !okExitCodes.includes(code)) {
        fail(code ?? undefined, errorText || 'no output');
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(stdout),
        exitCode: code,
        stderr: errorText,
      });
    });

    // git may exit before reading all of stdin (a bad object name); its exit code tells why.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
