import { spawn } from 'node:child_process';
import { minimalEnvironment } from './minimalEnvironment';
import { StepFailure } from './StepFailure';

export interface RunShellCommandOptions {
  command: string;
  cwd: string;
  /** Aborting kills the command's whole process group; the promise then rejects. */
  signal: AbortSignal;
  /** Granted variables (the tool environment) added to the minimal environment, which wins. */
  environment?: Record<string, string>;
  /** Output beyond this many bytes (both streams together) is counted, not delivered. */
  maxOutputBytes: number;
  /** Receives output in chunks that end on a line break, except for over-long lines. */
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
}

export interface ShellCommandResult {
  exitCode: number | null;
  /** The signal that ended the command, when one did. */
  exitSignal: NodeJS.Signals | null;
  durationMs: number;
  /** Bytes of output that were over `maxOutputBytes` and dropped. */
  droppedBytes: number;
}

/** A line longer than this is delivered in pieces rather than held back. */
const MAX_PENDING_LINE = 64 * 1024;

/**
 * Runs `/bin/sh -c command` in its own process group with a minimal environment (plus the
 * granted tool environment), streaming its output. When the shell exits, whatever it left
 * running in its group is killed too: a background child would otherwise hold the output pipes
 * open and outlive the step.
 */
export function runShellCommand(
  options: RunShellCommandOptions,
): Promise<ShellCommandResult> {
  const { signal, maxOutputBytes, onOutput } = options;
  signal.throwIfAborted();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: { ...options.environment, ...minimalEnvironment() },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let settled = false;
    let captured = 0;
    let droppedBytes = 0;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    signal.addEventListener('abort', killGroup, { once: true });

    const deliver = (stream: 'stdout' | 'stderr', text: string) => {
      if (!text || signal.aborted) return;
      const bytes = Buffer.byteLength(text);
      const room = maxOutputBytes - captured;
      if (bytes <= room) {
        captured += bytes;
        onOutput(stream, text);
        return;
      }
      droppedBytes += bytes - room;
      captured = maxOutputBytes;
      if (room > 0) {
        // Cutting at a byte count may split a character; drop the broken tail.
        const part = Buffer.from(text)
          .subarray(0, room)
          .toString('utf8')
          .replace(/\uFFFD$/, '');
        onOutput(stream, part);
      }
    };

    for (const stream of ['stdout', 'stderr'] as const) {
      let pending = '';
      const pipe = child[stream]!;
      pipe.setEncoding('utf8');
      pipe.on('data', (data: string) => {
        pending += data;
        const end = pending.lastIndexOf('\n') + 1;
        if (end > 0) {
          deliver(stream, pending.slice(0, end));
          pending = pending.slice(end);
        }
        if (pending.length > MAX_PENDING_LINE) {
          deliver(stream, pending);
          pending = '';
        }
      });
      pipe.on('end', () => {
        deliver(stream, pending);
        pending = '';
      });
    }

    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', killGroup);
      outcome();
    };
    child.on('error', error =>
      settle(() =>
        reject(
          signal.aborted
            ? signal.reason
            : new StepFailure(
                'ToolFailed',
                `Could not start /bin/sh: ${
                  (error as NodeJS.ErrnoException).code ?? error.message
                }`,
              ),
        ),
      ),
    );
    child.on('exit', killGroup);
    child.on('close', (exitCode, exitSignal) =>
      settle(() =>
        signal.aborted
          ? reject(signal.reason)
          : resolve({
              exitCode,
              exitSignal,
              durationMs: Math.round(performance.now() - started),
              droppedBytes,
            }),
      ),
    );
  });
}
