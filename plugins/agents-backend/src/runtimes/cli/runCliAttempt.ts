import { RunEventPayload } from '@krate/plugin-agents-common';
import {
  AgentActionDecision,
  AgentActionRequest,
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
} from '@krate/plugin-agents-node';
import { maskLaunchSecrets } from '../maskLaunchSecrets';
import { ApprovalHookServer, PreToolUseInput } from './ApprovalHookServer';
import { AttemptDir } from './AttemptDir';
import { CliCommand } from './CliInstaller';
import { CliLocator } from './CliLocator';
import { CliExit, runCliProcess } from './runCliProcess';
import { SessionArchive } from './SessionArchive';

/** Variables passed from the backend's environment; everything else is left out. */
const PASSED_ENV = [
  'PATH',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'SHELL',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];
const STDERR_TAIL = 20;

/** How the attempt relates to an earlier session. */
export type SessionMode =
  | { kind: 'new' }
  | {
      kind: 'resume' | 'fork';
      sessionId: string;
      meta: Record<string, unknown>;
    };

/** What one CLI's attempt needs beyond what all CLIs share. */
export interface CliAttemptDriver {
  runtimeId: string;
  displayName: string;
  /** The CLI's config folder inside the attempt folder, e.g. `claude`. */
  configDirName: string;
  /** Where under the config folder the CLI keeps session transcripts. */
  sessionFilesUnder: string;
  toAction(input: PreToolUseInput): AgentActionRequest;
  /** Events for a decision the CLI's own stream will not show. */
  decisionEvents?(
    input: PreToolUseInput,
    decision: AgentActionDecision,
  ): RunEventPayload[];
  /**
   * The CLI's arguments and its own environment variables; may write files in `configDir`. The
   * prompt goes to the CLI's stdin: an argument would be capped at 128 KiB by Linux
   * (MAX_ARG_STRLEN) and be visible in the process list.
   */
  prepare(context: {
    dir: AttemptDir;
    configDir: string;
    hooks: object;
    session: SessionMode;
  }): Promise<{ args: string[]; env: Record<string, string> }>;
  parse(line: string): RunEventPayload[];
  /** The session id the stream reported so far. */
  sessionId(): string | undefined;
  /** Stored with the archived session and handed back on resume. */
  sessionMeta?(): Record<string, unknown>;
  outcome(exit: CliExit, stderrTail: string[]): AgentAttemptOutcome;
}

/** Options shared by the CLI runtimes. */
export interface CliAttemptOptions {
  locator: CliLocator;
  sessions: SessionArchive;
  /** How long a tool may wait for an approval; the approval's expiry usually ends it first. */
  approvalTimeoutSeconds: number;
  cancelGraceMs: number;
  /** Parent of the per-attempt folders; default the OS temp folder. */
  tempDir?: string;
  extraEnv?: Record<string, string>;
}

function sessionModeOf(launch: AgentLaunch): SessionMode['kind'] {
  if (!launch.sessionId) {
    return 'new';
  }
  if (launch.attemptKind === 'resume' || launch.attemptKind === 'continue') {
    return 'resume';
  }
  return launch.attemptKind === 'fork' ? 'fork' : 'new';
}

/**
 * The CLI's environment with the granted skill keys added: the agent's tools inherit it. The
 * CLI's own variables win, so a key cannot redirect its config folder, HOME or approval hook.
 */
function withToolEnvironment(
  launch: AgentLaunch,
  own: Record<string, string>,
  warn: (message: string) => void,
): Record<string, string> {
  const granted = launch.secrets?.environment ?? {};
  for (const name of Object.keys(granted).filter(n => Object.hasOwn(own, n))) {
    warn(
      `Granted variable ${name} is not in the tool environment: the runtime sets ${name} itself`,
    );
  }
  return { ...granted, ...own };
}

/** Aborts when the stack's `runnerPolicy.timeoutSeconds` have passed; never without one. */
function attemptBudget(launch: AgentLaunch) {
  const seconds = launch.profile.runnerPolicy?.timeoutSeconds;
  const spent = new AbortController();
  const timer =
    typeof seconds === 'number' && seconds > 0
      ? // Node fires at once for delays past a 32-bit millisecond count.
        setTimeout(() => spent.abort(), Math.min(seconds * 1000, 2 ** 31 - 1))
      : undefined;
  return {
    signal: spent.signal,
    message: `The attempt ran out of its ${seconds} s budget (runnerPolicy.timeoutSeconds)`,
    stop: () => clearTimeout(timer),
  };
}

/**
 * Runs one attempt of a CLI runtime: a fresh attempt folder, the approval hook server, the
 * archived session restored for a resume, the CLI process with its output parsed into events
 * (stopped like a cancel when the attempt's time budget is spent), the session archived again,
 * and everything it started or wrote cleaned up.
 */
export async function runCliAttempt(
  launch: AgentLaunch,
  host: AgentAttemptHost,
  driver: CliAttemptDriver,
  options: CliAttemptOptions,
): Promise<AgentAttemptOutcome> {
  let command: CliCommand;
  try {
    command = await options.locator.command();
  } catch (error) {
    return {
      phase: 'Failed',
      reason: 'RuntimeUnavailable',
      message: (error as Error).message,
    };
  }
  const dir = await AttemptDir.create(driver.runtimeId, options.tempDir);
  const configDir = dir.path(driver.configDirName);
  let hookServer: ApprovalHookServer | undefined;
  const pending: Promise<unknown>[] = [];
  const budget = attemptBudget(launch);
  try {
    let session: SessionMode = { kind: 'new' };
    const mode = sessionModeOf(launch);
    if (mode !== 'new') {
      const sessionId = launch.sessionId!;
      const meta = await options.sessions.restore({
        runtime: driver.runtimeId,
        sessionId,
        configDir,
      });
      if (!meta) {
        return {
          phase: 'Failed',
          reason: 'SessionNotFound',
          message: `${driver.displayName} session ${sessionId} is not in this backend's session archive, so it cannot be resumed`,
        };
      }
      session = { kind: mode, sessionId, meta };
    }

    hookServer = await ApprovalHookServer.start({
      host,
      toAction: driver.toAction,
      onDecision: (input, decision) =>
        driver.decisionEvents?.(input, decision).forEach(e => host.emit(e)),
    });
    const hooks = await ApprovalHookServer.writeHook(
      dir.root,
      options.approvalTimeoutSeconds,
    );
    const prepared = await driver.prepare({ dir, configDir, hooks, session });

    const own: Record<string, string> = {};
    for (const name of PASSED_ENV) {
      const value = process.env[name];
      if (value !== undefined) {
        own[name] = value;
      }
    }
    Object.assign(
      own,
      { HOME: dir.home, TMPDIR: dir.tmp },
      options.extraEnv,
      prepared.env,
      hookServer.env,
    );
    const env = withToolEnvironment(launch, own, message =>
      host.emit({ type: 'warning', code: 'ProfileNotApplied', message }),
    );

    const stderrTail: string[] = [];
    let boundSession: string | undefined;
    const onLine = (line: string) => {
      for (const event of driver.parse(line)) {
        host.emit(event);
        if (
          event.type === 'session_started' &&
          event.sessionId !== boundSession
        ) {
          boundSession = event.sessionId;
          pending.push(
            host
              .bindSession(event.sessionId)
              .catch(error =>
                host.logger.warn(
                  `Could not bind session ${event.sessionId}: ${error}`,
                ),
              ),
          );
        }
      }
    };
    host.logger.info(
      `Starting ${driver.displayName} for attempt ${launch.namespace}/${launch.attempt} in ${launch.workingDirectory}`,
    );
    const exit = await runCliProcess({
      command,
      args: prepared.args,
      cwd: launch.workingDirectory,
      env,
      stdin: launch.prompt,
      signal: AbortSignal.any([host.signal, budget.signal]),
      graceMs: options.cancelGraceMs,
      onStdoutLine: onLine,
      onStderrLine: line => {
        if (!line.trim()) {
          return;
        }
        const masked = maskLaunchSecrets(line, launch);
        stderrTail.push(masked);
        stderrTail.splice(0, Math.max(0, stderrTail.length - STDERR_TAIL));
        host.emit({ type: 'warning', code: 'CliStderr', message: masked });
      },
    });
    await Promise.all(pending);

    const sessionId = driver.sessionId();
    if (sessionId) {
      await options.sessions
        .save({
          runtime: driver.runtimeId,
          sessionId,
          configDir,
          under: driver.sessionFilesUnder,
          meta: driver.sessionMeta?.(),
        })
        .catch(error =>
          host.emit({
            type: 'warning',
            code: 'SessionNotArchived',
            message: `Session ${sessionId} could not be archived, so it cannot be resumed: ${error}`,
          }),
        );
    }

    if (exit.spawnError) {
      return {
        phase: 'Failed',
        reason: 'RuntimeUnavailable',
        message: `${driver.displayName} could not start: ${exit.spawnError.message}`,
      };
    }
    if (exit.cancelled && budget.signal.aborted && !host.signal.aborted) {
      host.emit({
        type: 'error',
        code: 'TimedOut',
        message: budget.message,
        recoverable: false,
      });
      return { phase: 'Failed', reason: 'TimedOut', message: budget.message };
    }
    if (exit.cancelled) {
      return {
        phase: 'Cancelled',
        reason: 'Cancelled',
        message: `${driver.displayName} was stopped`,
      };
    }
    return driver.outcome(exit, stderrTail);
  } finally {
    budget.stop();
    await hookServer?.close();
    await dir.remove();
  }
}
