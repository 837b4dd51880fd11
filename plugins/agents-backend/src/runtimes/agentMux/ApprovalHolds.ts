import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentActionRequest,
  AgentAttemptHost,
} from '@krate/plugin-agents-node';

/** An action a human approved after the runtime had denied it. */
export interface ApprovedAction {
  approval: string;
  action: AgentActionRequest;
}

function keyOf(action: AgentActionRequest): string {
  return [action.actionClass, action.toolName ?? '', action.target].join(
    '\u0000',
  );
}

/**
 * The human gates an attempt holds on the backend's side. Agent Mux hooks fail open, so a tool
 * that needs a human is denied at once and its approval waited for here; an approval grants
 * one retry of the same action and asks for the session to be continued.
 */
export class ApprovalHolds {
  readonly #host: AgentAttemptHost;
  readonly #logger: LoggerService;
  #open = 0;
  #approved: ApprovedAction[] = [];
  #grants: string[] = [];
  #waiters: (() => void)[] = [];

  constructor(host: AgentAttemptHost, logger: LoggerService) {
    this.#host = host;
    this.#logger = logger;
  }

  /** Whether a gate still waits for its human. */
  get waiting(): boolean {
    return this.#open > 0;
  }

  hold(approval: string, action: AgentActionRequest): void {
    this.#open += 1;
    this.#host
      .awaitApproval(approval)
      .then(decision => {
        if (decision.decision === 'allow') {
          this.#approved.push({ approval, action });
          this.#grants.push(keyOf(action));
        }
      })
      .catch(error =>
        this.#logger.warn(`Waiting for approval ${approval} failed: ${error}`),
      )
      .finally(() => {
        this.#open -= 1;
        this.#waiters.splice(0).forEach(wake => wake());
      });
  }

  /** Uses up an approval of exactly this action, if there is one. */
  consumeGrant(action: AgentActionRequest): boolean {
    const index = this.#grants.indexOf(keyOf(action));
    if (index < 0) {
      return false;
    }
    this.#grants.splice(index, 1);
    return true;
  }

  /**
   * Waits until approvals were granted (answering them) or no gate is open any more
   * (answering undefined; rejections are only recorded).
   */
  async next(signal: AbortSignal): Promise<ApprovedAction[] | undefined> {
    for (;;) {
      if (this.#approved.length) {
        return this.#approved.splice(0);
      }
      if (this.#open === 0 || signal.aborted) {
        return undefined;
      }
      await new Promise<void>(resolve => {
        this.#waiters.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }
}
