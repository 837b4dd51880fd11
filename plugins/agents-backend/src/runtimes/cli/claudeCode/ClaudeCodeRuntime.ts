import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
  AgentRuntimeAvailability,
  AgentRuntimeCapabilities,
} from '@krate/plugin-agents-node';
import { CliInstaller } from '../CliInstaller';
import { CliLocator } from '../CliLocator';
import { runCliAttempt } from '../runCliAttempt';
import { SessionArchive } from '../SessionArchive';
import { shellQuote } from '../shellQuote';
import { writePrivateFile } from '../writePrivateFile';
import { claudeCodeArgs } from './claudeCodeArgs';
import { claudeMcpConfig } from './claudeMcpConfig';
import { claudeCodePackage } from './claudeCodePackage';
import { claudeOutcome } from './claudeOutcome';
import { ClaudeStreamParser } from './ClaudeStreamParser';
import { claudeToolAction } from './claudeToolAction';

/** Options of {@link ClaudeCodeRuntime}. */
export interface ClaudeCodeRuntimeOptions {
  /** The managed install; used unless `executable` is set. */
  installer?: CliInstaller;
  /** Version of the managed install; default the tested pin. */
  version?: string;
  /** A `claude` executable to use instead of the managed install. */
  executable?: string;
  /** Install the pinned version when an attempt needs it. Default false. */
  installOnDemand?: boolean;
  /** Anthropic Messages API base URL without `/v1`; default the CLI's own. */
  baseUrl?: string;
  /** Sent as `x-api-key` (and as a bearer token). Never logged, never in the CLI's environment. */
  apiKey?: string;
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
 * Runs Claude Code (`claude -p`) as an agent runtime. Every tool call passes a blocking
 * PreToolUse hook that asks the backend, so approvals are enforced.
 */
export class ClaudeCodeRuntime implements AgentRuntime {
  readonly id = 'claude-code';
  readonly displayName = 'Claude Code';
  readonly capabilities: AgentRuntimeCapabilities = {
    subagents: true,
    mcp: true,
    resume: true,
    approvals: 'enforced',
  };
  readonly #options: ClaudeCodeRuntimeOptions;
  readonly #locator: CliLocator;
  readonly #sessions: SessionArchive;

  constructor(options: ClaudeCodeRuntimeOptions) {
    this.#options = options;
    this.#locator = new CliLocator({
      displayName: this.displayName,
      pkg: claudeCodePackage(options.version),
      installer: options.installer,
      executable: options.executable,
      installOnDemand: options.installOnDemand,
      installOnDemandKey: 'agents.runtimes.claudeCode.installOnDemand',
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
    const parser = new ClaudeStreamParser({
      resumed:
        launch.attemptKind === 'resume' || launch.attemptKind === 'continue',
    });
    return runCliAttempt(
      launch,
      host,
      {
        runtimeId: this.id,
        displayName: this.displayName,
        configDirName: 'claude',
        sessionFilesUnder: 'projects',
        toAction: claudeToolAction,
        async prepare({ dir, configDir, hooks, session }) {
          const settings: Record<string, unknown> = { hooks };
          if (options.apiKey) {
            // Through a helper rather than ANTHROPIC_API_KEY, which every tool would inherit.
            const keyFile = dir.path('anthropic-api-key');
            await writePrivateFile(keyFile, options.apiKey);
            settings.apiKeyHelper = `cat ${shellQuote(keyFile)}`;
          }
          const mcp = claudeMcpConfig(launch);
          mcp.warnings.forEach(message =>
            host.emit({ type: 'warning', code: 'ProfileNotApplied', message }),
          );
          let mcpConfigFile: string | undefined;
          if (mcp.config) {
            // It may hold granted values: a private file outside the working directory, removed
            // with the attempt folder, rather than an argument every process can read.
            mcpConfigFile = dir.path('mcp-config.json');
            await writePrivateFile(mcpConfigFile, JSON.stringify(mcp.config));
          }
          return {
            args: claudeCodeArgs(launch, settings, session, mcpConfigFile),
            env: {
              CLAUDE_CONFIG_DIR: configDir,
              CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
              DISABLE_TELEMETRY: '1',
              DISABLE_AUTOUPDATER: '1',
              DISABLE_ERROR_REPORTING: '1',
              ...(options.baseUrl
                ? { ANTHROPIC_BASE_URL: options.baseUrl }
                : {}),
            },
          };
        },
        parse: line => parser.parse(line),
        sessionId: () => parser.sessionId,
        outcome: (exit, stderrTail) =>
          claudeOutcome(parser.result, exit, stderrTail),
      },
      {
        locator: this.#locator,
        sessions: this.#sessions,
        approvalTimeoutSeconds: options.approvalTimeoutSeconds ?? 86_400,
        cancelGraceMs: options.cancelGraceMs ?? 5_000,
        tempDir: options.tempDir,
      },
    );
  }
}
