import {
  AgentBudget,
  AgentDispatchRun,
  BudgetEstimate,
  BudgetLimits,
  BudgetState,
  CostEstimate,
} from '@krate/plugin-agents-common';
import { isTerminal } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { windowMs } from './budgetWindow';
import {
  ChargedTo,
  covers,
  describeScope,
  filterOf,
  scopeOf,
} from './budgetScope';
import { ModelPrices, roundUsd, Usage } from './ModelPrices';
import { SpendLedger } from './SpendLedger';

/** Runs whose cost the estimate averages. */
const ESTIMATE_SAMPLE = 20;
/** Runs of the stack read to find them (latest changes first). */
const ESTIMATE_SCAN = 200;
/** As the scripted runtime counts: about four characters a token. */
const CHARS_PER_TOKEN = 4;

/** A budget's state and whether one more run of the estimate would go over it. */
type CoveringState = BudgetEstimate['budgets'][number];

function over(limits: BudgetLimits, spent: Usage & { tokens: number }) {
  return (
    (limits.usd !== undefined && spent.usd >= limits.usd) ||
    (limits.tokens !== undefined && spent.tokens >= limits.tokens)
  );
}

function wouldGoOver(state: BudgetState, estimate: Usage) {
  const { limits, spent } = state;
  return (
    state.exceeded ||
    (limits.usd !== undefined && spent.usd + estimate.usd > limits.usd) ||
    (limits.tokens !== undefined &&
      spent.tokens + estimate.inputTokens + estimate.outputTokens >
        limits.tokens)
  );
}

function money(usd: number) {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}`;
}

/** e.g. `AgentBudget acme/daily (stack builder, 24h) has spent $1.20 of $1.00`. */
export function describeBudget(state: BudgetState): string {
  const parts: string[] = [];
  if (state.limits.usd !== undefined) {
    parts.push(`${money(state.spent.usd)} of ${money(state.limits.usd)}`);
  }
  if (state.limits.tokens !== undefined) {
    parts.push(`${state.spent.tokens} of ${state.limits.tokens} tokens`);
  }
  return `AgentBudget ${state.namespace}/${state.name} (${describeScope(
    state.scope,
  )}, ${state.window}) has spent ${parts.join(' and ')}`;
}

/**
 * Budgets against the spend ledger: each budget's state over its window, what a run of a stack
 * is expected to cost, and the verdict on a dispatch (refused, held for an approval, allowed).
 */
export class BudgetPolicy {
  constructor(
    private readonly options: {
      store: ResourceStore;
      ledger: SpendLedger;
      prices: ModelPrices;
      now?: () => number;
    },
  ) {}

  get ledger() {
    return this.options.ledger;
  }

  get prices() {
    return this.options.prices;
  }

  /** Every budget of the namespace. */
  async budgetsOf(namespace: string): Promise<AgentBudget[]> {
    const budgets: AgentBudget[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.options.store.list('AgentBudget', {
        namespace,
        limit: 500,
        continueToken,
      });
      budgets.push(...(page.items as AgentBudget[]));
      continueToken = page.continueToken;
    } while (continueToken);
    return budgets;
  }

  /** The budgets of the namespace that count the spend of runs charged to `target`. */
  async covering(namespace: string, target: ChargedTo) {
    return (await this.budgetsOf(namespace)).filter(b => covers(b, target));
  }

  /** What each budget has spent in its current window. */
  async states(budgets: AgentBudget[]): Promise<BudgetState[]> {
    const now = (this.options.now ?? Date.now)();
    return Promise.all(
      budgets.map(async budget => {
        const scope = scopeOf(budget);
        const windowStart = new Date(now - windowMs(budget.spec.window));
        const spent = await this.options.ledger.sum(
          budget.metadata.namespace,
          filterOf(scope),
          windowStart,
        );
        const limits: BudgetLimits = {
          ...(budget.spec.limits.usd !== undefined
            ? { usd: budget.spec.limits.usd }
            : {}),
          ...(budget.spec.limits.tokens !== undefined
            ? { tokens: budget.spec.limits.tokens }
            : {}),
        };
        const remaining: BudgetLimits = {
          ...(limits.usd !== undefined
            ? { usd: roundUsd(Math.max(0, limits.usd - spent.usd)) }
            : {}),
          ...(limits.tokens !== undefined
            ? { tokens: Math.max(0, limits.tokens - spent.tokens) }
            : {}),
        };
        return {
          namespace: budget.metadata.namespace,
          name: budget.metadata.name,
          scope,
          window: budget.spec.window,
          windowStart: windowStart.toISOString(),
          limits,
          spent,
          remaining,
          exceeded: over(limits, spent),
          onExceed: budget.spec.onExceed ?? 'refuse',
          hardCap: budget.spec.hardCap ?? true,
        };
      }),
    );
  }

  /**
   * What one more run of the stack would cost: the mean of its last finished runs, else the
   * prompt's tokens at the model's price, else nothing known.
   */
  async estimateCost(
    namespace: string,
    stack: string,
    model: string | undefined,
    prompt = '',
  ): Promise<CostEstimate> {
    const page = await this.options.store.list('AgentDispatchRun', {
      namespace,
      fieldFilters: { stack },
      changedAfter: '0',
      limit: ESTIMATE_SCAN,
    });
    const costs = (page.items as AgentDispatchRun[])
      .filter(run => isTerminal(run.status?.phase) && run.status?.cost)
      .slice(0, ESTIMATE_SAMPLE)
      .map(run => run.status!.cost as Usage);
    const withModel = model ? { model } : {};
    if (costs.length > 0) {
      const mean = (pick: (c: Usage) => number) =>
        costs.reduce((sum, c) => sum + pick(c), 0) / costs.length;
      return {
        usd: roundUsd(mean(c => c.usd)),
        inputTokens: Math.round(mean(c => c.inputTokens)),
        outputTokens: Math.round(mean(c => c.outputTokens)),
        basis: 'recentRuns',
        sampleSize: costs.length,
        ...withModel,
      };
    }
    if (this.options.prices.has(model)) {
      const inputTokens = Math.ceil(prompt.length / CHARS_PER_TOKEN);
      const { usd } = this.options.prices.priced(model, {
        usd: 0,
        inputTokens,
        outputTokens: 0,
      });
      return {
        usd,
        inputTokens,
        outputTokens: 0,
        basis: 'modelPrice',
        sampleSize: 0,
        ...withModel,
      };
    }
    return {
      usd: 0,
      inputTokens: 0,
      outputTokens: 0,
      basis: 'none',
      sampleSize: 0,
      ...withModel,
    };
  }

  /** The estimate of a dispatch against every budget that covers it, and the verdict. */
  async estimate(options: {
    namespace: string;
    target: ChargedTo;
    model?: string;
    prompt?: string;
    /** The budgets covering the target, when read already. */
    budgets?: AgentBudget[];
  }): Promise<BudgetEstimate> {
    const { namespace, target } = options;
    const [estimate, budgets] = await Promise.all([
      this.estimateCost(namespace, target.stack, options.model, options.prompt),
      options.budgets ?? this.covering(namespace, target),
    ]);
    const states: CoveringState[] = (await this.states(budgets)).map(state => ({
      ...state,
      wouldExceed: wouldGoOver(state, estimate),
    }));
    const refusing = states.find(s => s.wouldExceed && s.onExceed === 'refuse');
    const approving = states.find(
      s => s.wouldExceed && s.onExceed === 'requireApproval',
    );
    const deciding = refusing ?? approving;
    let verdict: BudgetEstimate['verdict'] = 'allowed';
    if (refusing) verdict = 'refused';
    else if (approving) verdict = 'requiresApproval';
    return {
      estimate,
      budgets: states,
      verdict,
      ...(deciding ? { reason: reasonOf(deciding, estimate) } : {}),
    };
  }

  /** The verdict on a dispatch, or none when no budget covers it (nothing to estimate for). */
  async verdictOn(options: {
    namespace: string;
    target: ChargedTo;
    model?: string;
    prompt?: string;
    /** Budgets not to count (a human approved going over them for this run). */
    except?: string[];
  }): Promise<BudgetEstimate | undefined> {
    const { except = [], ...rest } = options;
    const budgets = (
      await this.covering(options.namespace, options.target)
    ).filter(b => !except.includes(b.metadata.name));
    return budgets.length > 0 ? this.estimate({ ...rest, budgets }) : undefined;
  }

  /**
   * The first hard-capped budget covering `target` whose spend has reached its limit: a running
   * attempt charged to it stops.
   */
  async capReached(
    namespace: string,
    target: ChargedTo,
    /** Budgets a human approved going over for this run. */
    approved: string[] = [],
  ): Promise<BudgetState | undefined> {
    const capped = (await this.covering(namespace, target)).filter(
      b => (b.spec.hardCap ?? true) && !approved.includes(b.metadata.name),
    );
    if (capped.length === 0) return undefined;
    return (await this.states(capped)).find(state => state.exceeded);
  }
}

function reasonOf(state: BudgetState, estimate: CostEstimate) {
  const spent = describeBudget(state);
  if (state.exceeded) return spent;
  return `${spent}; a run is estimated at ${money(estimate.usd)} and ${
    estimate.inputTokens + estimate.outputTokens
  } tokens (${estimate.basis})`;
}
