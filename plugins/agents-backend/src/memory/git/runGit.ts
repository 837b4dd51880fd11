import { spawn } from 'node:child_process';
import { GitError } from '../../workspaces/GitCli';

export interface RunGitOptions {
  timeoutMs: number;
  /** Written to git's stdin, which is then closed. */
  input?: string;
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
}

const MAX_STDERR_BYTES = 64 * 1024;

// Variables that would point git at another repository than the one in `cwd`.
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
];

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    // Paths given by readers are file and folder names, never globs or pathspec magic.
    GIT_LITERAL_PATHSPECS: '1',
    // A commit must read the same everywhere: no local replacement objects.
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_OPTIONAL_LOCKS: '0',
  };
  for (const name of REPOSITORY_VARIABLES) {
    delete env[name];
  }
  return env;
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
        ...args,
      ],
      { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] },
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
        resolve({ stdout: Buffer.alloc(0), exitCode: undefined });
        return;
      }
      if (code === null || !okExitCodes.includes(code)) {
        fail(
          code ?? undefined,
          Buffer.concat(stderr).toString('utf8') || 'no output',
        );
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(stdout), exitCode: code });
    });

    // git may exit before reading all of stdin (a bad object name); its exit code tells why.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
