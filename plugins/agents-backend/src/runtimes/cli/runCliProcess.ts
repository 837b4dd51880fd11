import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { CliCommand } from './CliInstaller';
import { descendantsOf, killAll, ProcessRef } from './ProcessTree';

/** Options of {@link runCliProcess}. */
export interface CliProcessOptions {
  command: CliCommand;
  args: string[];
  cwd: string;
  /** The whole environment of the process; nothing is inherited. */
  env: Record<string, string>;
  /** Written to the process's stdin, which is then closed. */
  stdin: string;
  /** Aborting it stops the process: SIGTERM, then SIGKILL after `graceMs`. */
  signal: AbortSignal;
  onStdoutLine(line: string): void;
  onStderrLine(line: string): void;
  /** Default 5 s. */
  graceMs?: number;
  /** How often the process tree is read while the CLI runs; default 1 s. */
  treePollMs?: number;
}

/** How the process ended. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
  /** Set when the process could not start. */
  spawnError?: Error;
}

const DRAIN_MS = 2_000;

function linesOf(stream: Readable, onLine: (line: string) => void) {
  const reader = readline.createInterface({
    input: stream,
    crlfDelay: Infinity,
  });
  reader.on('line', onLine);
  return new Promise<void>(resolve => reader.once('close', resolve));
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone.
  }
}

/**
 * Runs a CLI in its own process group and hands over its output line by line. Cancelling sends
 * SIGTERM so the CLI can stop its tools, then SIGKILL. Whatever the CLI started and left behind
 * (tools run in groups of their own) is killed when it exits, from snapshots of its process tree.
 */
export function runCliProcess(options: CliProcessOptions): Promise<CliExit> {
  const graceMs = options.graceMs ?? 5_000;
  const pollMs = options.treePollMs ?? 1_000;
  return new Promise(resolve => {
    const child = spawn(
      options.command.file,
      [...options.command.args, ...options.args],
      {
        cwd: options.cwd,
        env: options.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      },
    );
    // A CLI that exits before reading all of its input must not crash the backend (EPIPE).
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin);
    const tracked = new Map<string, ProcessRef>();
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const snapshot = async () => {
      if (child.pid === undefined) {
        return;
      }
      for (const ref of await descendantsOf(child.pid)) {
        tracked.set(`${ref.pid}:${ref.startTime}`, ref);
      }
    };
    const poller = setInterval(() => void snapshot(), pollMs);

    const cancel = () => {
      if (cancelled || child.pid === undefined || child.exitCode !== null) {
        return;
      }
      cancelled = true;
      const pid = child.pid;
      void snapshot().finally(() => {
        signalGroup(pid, 'SIGTERM');
        killTimer = setTimeout(() => {
          signalGroup(pid, 'SIGKILL');
          void killAll([...tracked.values()]);
        }, graceMs);
      });
    };
    options.signal.addEventListener('abort', cancel, { once: true });

    const stdoutDone = linesOf(child.stdout, options.onStdoutLine);
    const stderrDone = linesOf(child.stderr, options.onStderrLine);

    const finish = (exit: CliExit) => {
      clearInterval(poller);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', cancel);
      resolve(exit);
    };

    child.once('error', error => {
      if (child.pid === undefined) {
        finish({ code: null, signal: null, cancelled, spawnError: error });
      }
    });
    child.once('exit', async (code, signal) => {
      if (child.pid !== undefined) {
        signalGroup(child.pid, 'SIGKILL');
      }
      await killAll([...tracked.values()]);
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([stdoutDone, stderrDone]),
        new Promise<void>(wake => {
          drainTimer = setTimeout(wake, DRAIN_MS);
        }),
      ]);
      clearTimeout(drainTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ code, signal, cancelled });
    });
    if (options.signal.aborted) {
      cancel();
    }
  });
}
