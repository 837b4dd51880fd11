import {
  AgentActionDecision,
  AgentActionRequest,
  AgentAttemptHost,
} from '@krate/plugin-agents-node';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { shellQuote } from './shellQuote';
import {
  APPROVAL_HOOK_SCRIPT,
  HOOK_TOKEN_ENV,
  HOOK_URL_ENV,
} from './approvalHookScript';

/** What a CLI's PreToolUse hook receives on stdin (the fields both CLIs send). */
export interface PreToolUseInput {
  tool_name: string;
  tool_input?: Record<string, unknown>;
  tool_use_id?: string;
  session_id?: string;
  cwd?: string;
}

/** Options of {@link ApprovalHookServer}. */
export interface ApprovalHookServerOptions {
  host: AgentAttemptHost;
  /** Maps a hook call onto the action the backend decides. */
  toAction(input: PreToolUseInput): AgentActionRequest;
  /** Called with each decision, e.g. to record a denial the CLI does not report. */
  onDecision?(input: PreToolUseInput, decision: AgentActionDecision): void;
}

const MAX_BODY = 1024 * 1024;

/**
 * The loopback endpoint an attempt's PreToolUse hook asks. Each call becomes
 * `host.authorize(…, { wait: true })`, so a human gate holds the tool until someone decides;
 * the answer goes back to the blocked hook. Requests need the attempt's random token.
 */
export class ApprovalHookServer {
  readonly #server: http.Server;
  readonly #token = randomBytes(32).toString('hex');
  readonly #sockets = new Set<Socket>();
  readonly #options: ApprovalHookServerOptions;

  private constructor(options: ApprovalHookServerOptions) {
    this.#options = options;
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', socket => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  static async start(
    options: ApprovalHookServerOptions,
  ): Promise<ApprovalHookServer> {
    const server = new ApprovalHookServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  /** The variables the hook reads; they go into the CLI's environment, never into a log. */
  get env(): Record<string, string> {
    const { port } = this.#server.address() as AddressInfo;
    return {
      [HOOK_URL_ENV]: `http://127.0.0.1:${port}/pre-tool-use`,
      [HOOK_TOKEN_ENV]: this.#token,
    };
  }

  /**
   * Writes the hook script into `dir` and returns the hook definition for the CLI's settings
   * (`hooks.PreToolUse`), which Claude Code and Codex read in the same shape.
   */
  static async writeHook(dir: string, timeoutSeconds: number) {
    const script = `${dir}/krate-approval-hook.cjs`;
    await fs.writeFile(script, APPROVAL_HOOK_SCRIPT, { mode: 0o600 });
    return {
      PreToolUse: [
        {
          matcher: '*',
          hooks: [
            {
              type: 'command',
              command: `${shellQuote(process.execPath)} ${shellQuote(script)}`,
              timeout: timeoutSeconds,
            },
          ],
        },
      ],
    };
  }

  async close(): Promise<void> {
    this.#sockets.forEach(socket => socket.destroy());
    await new Promise<void>(resolve => this.#server.close(() => resolve()));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const answer = (
      status: number,
      decision: 'allow' | 'deny',
      reason: string,
    ) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ decision, reason }));
      }
    };
    if (req.method !== 'POST' || !this.#authorized(req)) {
      req.resume();
      answer(401, 'deny', 'Unauthorized approval request');
      return;
    }
    let input: PreToolUseInput;
    try {
      input = JSON.parse(await ApprovalHookServer.readBody(req));
      if (typeof input?.tool_name !== 'string') {
        throw new Error('tool_name is missing');
      }
    } catch (error) {
      answer(400, 'deny', `Unreadable hook input: ${(error as Error).message}`);
      return;
    }
    let decision: AgentActionDecision;
    try {
      decision = await this.#options.host.authorize(
        this.#options.toAction(input),
        { wait: true },
      );
    } catch (error) {
      decision = {
        decision: 'deny',
        reason: `Approval failed: ${(error as Error).message}`,
      };
    }
    this.#options.onDecision?.(input, decision);
    answer(200, decision.decision, decision.reason);
  }

  #authorized(req: http.IncomingMessage): boolean {
    const expected = Buffer.from(`Bearer ${this.#token}`);
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private static readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new Error('hook input is too large'));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  }
}
