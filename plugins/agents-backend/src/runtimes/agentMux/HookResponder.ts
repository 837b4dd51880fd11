import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentAttemptHost } from '@krate/plugin-agents-node';
import { ApprovalHolds } from './ApprovalHolds';
import { HookRequestFrame } from './gatewayProtocol';
import { HookedTool, parseToolHook, toolAction } from './toolAction';

interface Verdict {
  decision: 'allow' | 'deny';
  reason?: string;
}

/** Options of {@link HookResponder}. */
export interface HookResponderOptions {
  host: AgentAttemptHost;
  holds: ApprovalHolds;
  logger: LoggerService;
  /** Sends the decision; true when the gateway took it, undefined when unknown. */
  answer(
    hookRequestId: string,
    decision: 'allow' | 'deny',
    reason?: string,
  ): Promise<boolean | undefined>;
  /** Time kept free before a hook's deadline: no decision by then means deny. */
  safetyMs: number;
  onToolInput(toolCallId: string, input: unknown): void;
  onDenied(toolCallId: string): void;
}

/**
 * Answers the gateway's hook requests at once, because Agent Mux allows whatever is not
 * answered in time. A prompt hook is allowed. A tool hook is decided by the backend's policy
 * without waiting for a human: when a human must decide, the tool is denied now and the
 * approval is held (see {@link ApprovalHolds}). The two hook paths of one tool call are
 * decided once and answered alike.
 */
export class HookResponder {
  /** Hook kinds by request id, for reading `hook_decision` events. */
  readonly kinds = new Map<string, string>();
  readonly #options: HookResponderOptions;
  readonly #verdicts = new Map<string, Promise<Verdict>>();

  constructor(options: HookResponderOptions) {
    this.#options = options;
  }

  handle(frame: HookRequestFrame): void {
    this.kinds.set(frame.hookRequestId, frame.hookKind);
    void this.#respond(frame);
  }

  async #respond(frame: HookRequestFrame) {
    const { host, logger } = this.#options;
    const verdict =
      frame.hookKind === 'preToolUse'
        ? await this.#beforeDeadline(frame, this.#toolVerdict(frame))
        : { decision: 'allow' as const };
    const taken = await this.#options.answer(
      frame.hookRequestId,
      verdict.decision,
      verdict.reason,
    );
    if (taken === false) {
      host.emit({
        type: 'warning',
        code: 'HookDecisionRefused',
        message: `The gateway did not take the ${verdict.decision} for ${frame.hookKind} hook ${frame.hookRequestId} (no longer pending, or asked of an earlier connection); it will fall back to allow`,
      });
    } else if (taken === undefined) {
      logger.warn(
        `No answer from the gateway to the ${verdict.decision} of hook ${frame.hookRequestId}`,
      );
    }
  }

  #toolVerdict(frame: HookRequestFrame): Promise<Verdict> {
    const tool = parseToolHook(frame.payload ?? {});
    const key = tool.toolCallId
      ? `${frame.runId}/${tool.toolCallId}`
      : frame.hookRequestId;
    let verdict = this.#verdicts.get(key);
    if (!verdict) {
      verdict = this.#decide(tool, frame.hookRequestId);
      this.#verdicts.set(key, verdict);
    }
    return verdict;
  }

  async #decide(tool: HookedTool, hookRequestId: string): Promise<Verdict> {
    const { host, holds, logger } = this.#options;
    const action = toolAction(tool, hookRequestId);
    if (tool.toolCallId) {
      this.#options.onToolInput(tool.toolCallId, tool.input);
    }
    if (holds.consumeGrant(action)) {
      host.emit({
        type: 'policy_decision',
        actionClass: action.actionClass,
        target: action.target,
        decision: 'allow',
        reason: 'approved by a human earlier in this attempt',
      });
      return { decision: 'allow' };
    }
    let verdict: Verdict;
    try {
      const decision = await host.authorize(action, { wait: false });
      if (decision.decision === 'allow') {
        return { decision: 'allow' };
      }
      if (decision.pending && decision.approval) {
        holds.hold(decision.approval, action);
        verdict = {
          decision: 'deny',
          reason: `Held for human approval (${decision.approval}). Do not retry it now; you will be told if it is approved.`,
        };
      } else {
        verdict = { decision: 'deny', reason: decision.reason };
      }
    } catch (error) {
      logger.error(`Could not decide ${action.toolName}: ${error}`);
      verdict = {
        decision: 'deny',
        reason: 'The backend could not decide this action',
      };
    }
    if (tool.toolCallId) {
      this.#options.onDenied(tool.toolCallId);
    }
    return verdict;
  }

  /** Denies when the backend has not decided shortly before the gateway would allow. */
  #beforeDeadline(
    frame: HookRequestFrame,
    verdict: Promise<Verdict>,
  ): Promise<Verdict> {
    const untilDeadline = frame.deadlineTs - Date.now();
    const left = Math.max(
      untilDeadline - this.#options.safetyMs,
      untilDeadline / 2,
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Verdict>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            decision: 'deny',
            reason: 'The backend did not decide in time',
          }),
        Math.max(0, left),
      );
    });
    return Promise.race([verdict, late]).finally(() => clearTimeout(timer));
  }
}
