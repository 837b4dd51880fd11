import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
  AgentRuntimeAvailability,
  AgentRuntimeCapabilities,
} from '@krate/plugin-agents-node';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CliInstaller } from '../CliInstaller';
import { CliLocator } from '../CliLocator';
import { runCliAttempt } from '../runCliAttempt';
import { SessionArchive } from '../SessionArchive';
import { writePrivateFile } from '../writePrivateFile';
import { CODEX_API_KEY_ENV, codexArgs, codexConfigToml } from './codexConfig';
import { holdCodexDaemonDir } from './codexDaemonDir';
import { codexOutcome } from './codexOutcome';
import { codexPackage } from './codexPackage';
import { CodexStreamParser, CodexUsage } from './CodexStreamParser';
import { codexToolAction } from './codexToolAction';

/** Options of {@link CodexRuntime}. */
export interface CodexRuntimeOptions {
  /** The managed install; used unless `executable` is set. */
  installer?: CliInstaller;
  /** Version of the managed install; default the tested pin. */
  version?: string;
  /** A `codex` executable (or its `codex.js` launcher) instead of the managed install. */
  executable?: string;
  /** Install the pinned version when an attempt needs it. Default false. */
  installOnDemand?: boolean;
  /** OpenAI Responses API base URL including `/v1`; default `https://api.openai.com/v1`. */
  baseUrl?: string;
  /** Sent as a bearer token. Never logged. */
  apiKey?: string;
  /** Model when the stack names none. */
  model?: string;
  /** Retries of a failed model request; default Codex's own. */
  requestMaxRetries?: number;
  /** Retries of a broken model stream; default Codex's own. */
  streamMaxRetries?: number;
  /** Where session transcripts are kept between attempts, for resume. */
  sessionsDir: string;
  logger: LoggerService;
  /** Upper bound for a tool waiting for approval; default one day. */
  approvalTimeoutSeconds?: number;
  /** Time between SIGTERM and SIGKILL on cancel; default 5 s. */
  cancelGraceMs?: number;
  /** Parent folder of the per-attempt folders; default the OS temp folder. */
  tempDir?: string;
}

/**
 * Runs Codex (`codex exec --json`) as an agent runtime. Its PreToolUse hook in the attempt's
 * CODEX_HOME asks the backend before each `exec_command` and `apply_patch` and blocks until the
 * decision (verified against the real CLI: exit 2 keeps the command from running), so approvals
 * are enforced. Codex has no subagents to define from a stack.
 */
export class CodexRuntime implements AgentRuntime {
  readonly id = 'codex';
  readonly displayName = 'Codex';
  readonly capabilities: AgentRuntimeCapabilities = {
    subagents: false,
    mcp: true,
    resume: true,
    approvals: 'enforced',
  };
  readonly #options: CodexRuntimeOptions;
  readonly #locator: CliLocator;
  readonly #sessions: SessionArchive;

  constructor(options: CodexRuntimeOptions) {
    this.#options = options;
    this.#locator = new CliLocator({
      displayName: this.displayName,
      pkg: codexPackage(options.version),
      installer: options.installer,
      executable: options.executable,
      installOnDemand: options.installOnDemand,
      installOnDemandKey: 'agents.runtimes.codex.installOnDemand',
    });
    this.#sessions = new SessionArchive(options.sessionsDir);
  }

  checkAvailability(): Promise<AgentRuntimeAvailability> {
    return this.#locator.availability();
  }

  async run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    const options = this.#options;
    let parser = new CodexStreamParser();
    const release = await holdCodexDaemonDir();
    try {
      return await runCliAttempt(
        launch,
        host,
        {
          runtimeId: this.id,
          displayName: this.displayName,
          configDirName: 'codex',
          sessionFilesUnder: 'sessions',
          toAction: codexToolAction,
          // A blocked command leaves no item in Codex's stream, so the denial is reported here.
          decisionEvents: (input, decision) => {
            if (decision.decision === 'allow') {
              return [];
            }
            const toolCallId = input.tool_use_id ?? `denied-${Date.now()}`;
            return [
              {
                type: 'tool_call',
                toolCallId,
                toolName: input.tool_name,
                input: input.tool_input,
              },
              {
                type: 'tool_result',
                toolCallId,
                toolName: input.tool_name,
                output: decision.reason,
                isError: true,
              },
            ];
          },
          async prepare({ configDir, hooks, session }) {
            parser = new CodexStreamParser({
              resumed: session.kind === 'resume',
              usage:
                session.kind === 'new'
                  ? undefined
                  : (session.meta.usage as CodexUsage | undefined),
            });
            const warnings: string[] = [];
            await fs.mkdir(configDir, { recursive: true });
            await writePrivateFile(
              path.join(configDir, 'config.toml'),
              codexConfigToml(
                launch,
                {
                  baseUrl: options.baseUrl ?? 'https://api.openai.com/v1',
                  requestMaxRetries: options.requestMaxRetries,
                  streamMaxRetries: options.streamMaxRetries,
                },
                options.model,
                warnings,
              ),
            );
            await fs.writeFile(
              path.join(configDir, 'hooks.json'),
              JSON.stringify({ hooks }),
            );
            warnings.forEach(message =>
              host.emit({
                type: 'warning',
                code: 'ProfileNotApplied',
                message,
              }),
            );
            return {
              args: codexArgs(session),
              env: {
                CODEX_HOME: configDir,
                ...(options.apiKey
                  ? { [CODEX_API_KEY_ENV]: options.apiKey }
                  : {}),
              },
            };
          },
          parse: line => parser.parse(line),
          sessionId: () => parser.sessionId,
          sessionMeta: () => ({ usage: parser.usage }),
          outcome: (exit, stderrTail) => codexOutcome(parser, exit, stderrTail),
        },
        {
          locator: this.#locator,
          sessions: this.#sessions,
          approvalTimeoutSeconds: options.approvalTimeoutSeconds ?? 86_400,
          cancelGraceMs: options.cancelGraceMs ?? 5_000,
          tempDir: options.tempDir,
        },
      );
    } finally {
      await release();
    }
  }
}
