import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { BudgetPolicy, describeBudget } from './BudgetPolicy';
import {
  BUDGET_OWNER_ANNOTATION,
  BUDGETS_APPROVED_ANNOTATION,
  ChargedTo,
} from './budgetScope';
import { roundUsd, Usage } from './ModelPrices';

/** What the runs of a stack, of a rule and of an owner are charged: what budgets count. */
export function chargedTo(run: AgentDispatchRun): ChargedTo {
  const { labels, annotations } = run.metadata;
  const rule = labels?.[TRIGGER_RULE_LABEL];
  const owner = annotations?.[BUDGET_OWNER_ANNOTATION];
  return {
    stack: run.spec.stack,
    ...(rule ? { rule } : {}),
    ...(owner ? { owner } : {}),
  };
}

/**
 * One running attempt's spend: keeps its running total (from its `status.cost` when taken over),
 * sets it in the ledger after each cost report, one write after the other, and tells
 * `onExceeded` when a hard-capped budget covering it has reached a limit.
 */
export class AttemptCharges {
  #total: Usage;
  #charging: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      budgets: BudgetPolicy;
      attempt: AgentDispatchAttempt;
      run: AgentDispatchRun;
      model?: string;
      logger: LoggerService;
      onExceeded?: (message: string) => void;
    },
  ) {
    const cost = options.attempt.status?.cost;
    this.#total = {
      usd: cost?.usd ?? 0,
      inputTokens: cost?.inputTokens ?? 0,
      outputTokens: cost?.outputTokens ?? 0,
    };
  }

  /** Adds a (priced) cost report to the total and queues its ledger write and cap check. */
  add(delta: Usage) {
    this.#total = {
      usd: roundUsd(this.#total.usd + delta.usd),
      inputTokens: this.#total.inputTokens + delta.inputTokens,
      outputTokens: this.#total.outputTokens + delta.outputTokens,
    };
    const total = this.#total;
    this.#charging = this.#charging.then(() => this.#charge(total));
  }

  /** Resolves once every queued write and check is done. */
  settled(): Promise<void> {
    return this.#charging;
  }

  async #charge(total: Usage) {
    const { budgets, attempt, run, model, onExceeded } = this.options;
    const { namespace, name, creationTimestamp } = attempt.metadata;
    const target = chargedTo(run);
    try {
      await budgets.ledger.record({
        namespace,
        attempt: name,
        run: run.metadata.name,
        ...target,
        ...(model ? { model } : {}),
        startedAt: new Date(
          attempt.status?.startTime ?? creationTimestamp ?? Date.now(),
        ),
        ...total,
      });
      if (!onExceeded) return;
      const approved = run.metadata.annotations?.[BUDGETS_APPROVED_ANNOTATION];
      const reached = await budgets.capReached(
        namespace,
        target,
        approved ? approved.split(',') : [],
      );
      if (reached) onExceeded(describeBudget(reached));
    } catch (error) {
      this.options.logger.warn(`Could not record the attempt's cost: ${error}`);
    }
  }
}
