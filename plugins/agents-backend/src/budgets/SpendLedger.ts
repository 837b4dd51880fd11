import { CostGrouping, CostRow, CostTotals } from '@krate/plugin-agents-common';
import { Knex } from 'knex';

const TABLE = 'agents_attempt_costs';

/** One attempt's running cost, with what budgets are scoped by. */
export interface AttemptSpend {
  namespace: string;
  attempt: string;
  run: string;
  stack: string;
  rule?: string;
  owner?: string;
  model?: string;
  /** When the attempt started: the time a budget's window compares. */
  startedAt: Date;
  usd: number;
  inputTokens: number;
  outputTokens: number;
}

/** What a sum or a grouping covers: at most one of stack, rule, owner narrows it. */
export interface SpendFilter {
  stack?: string;
  rule?: string;
  owner?: string;
}

const COLUMN_OF: Record<CostGrouping, string> = {
  attempt: 'attempt',
  run: 'run',
  stack: 'stack',
  rule: 'rule',
  owner: 'owner',
};

function totalsOf(row: Record<string, unknown> | undefined): CostTotals {
  const usd = Math.round(Number(row?.usd ?? 0) * 1e6) / 1e6;
  const inputTokens = Number(row?.input_tokens ?? 0);
  const outputTokens = Number(row?.output_tokens ?? 0);
  return { usd, inputTokens, outputTokens, tokens: inputTokens + outputTokens };
}

/**
 * The spend ledger: one row per attempt holding its running total (not a sum of deltas), so a
 * cost written again after a takeover overwrites rather than adds. Budgets sum it over their
 * window; `/costs` groups it.
 */
export class SpendLedger {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sets the attempt's running total, creating its row on the first cost. */
  async record(spend: AttemptSpend): Promise<void> {
    const now = this.now();
    await this.knex(TABLE)
      .insert({
        namespace: spend.namespace,
        attempt: spend.attempt,
        run: spend.run,
        stack: spend.stack,
        rule: spend.rule ?? null,
        owner: spend.owner ?? null,
        model: spend.model ?? null,
        usd: spend.usd,
        input_tokens: spend.inputTokens,
        output_tokens: spend.outputTokens,
        started_at: spend.startedAt.getTime(),
        updated_at: now,
      })
      .onConflict(['namespace', 'attempt'])
      .merge(['usd', 'input_tokens', 'output_tokens', 'updated_at']);
  }

  /** What the attempts of `filter` that started at or after `since` cost. */
  async sum(
    namespace: string,
    filter: SpendFilter,
    since: Date,
  ): Promise<CostTotals> {
    const row = await this.#where(namespace, filter, since)
      .sum({ usd: 'usd', input_tokens: 'input_tokens' })
      .sum({ output_tokens: 'output_tokens' })
      .first();
    return totalsOf(row);
  }

  /** The spend between `since` and `until`, grouped, most expensive first. */
  async group(options: {
    namespace: string;
    groupBy: CostGrouping;
    filter: SpendFilter;
    since: Date;
    until: Date;
    limit: number;
  }): Promise<CostRow[]> {
    const column = COLUMN_OF[options.groupBy];
    const rows = await this.#where(
      options.namespace,
      options.filter,
      options.since,
    )
      .andWhere('started_at', '<', options.until.getTime())
      .whereNotNull(column)
      .select({ key: column })
      .sum({ usd: 'usd', input_tokens: 'input_tokens' })
      .sum({ output_tokens: 'output_tokens' })
      .count({ attempts: '*' })
      .groupBy(column)
      .orderBy([
        { column: 'usd', order: 'desc' },
        { column: 'input_tokens', order: 'desc' },
        { column: 'key', order: 'asc' },
      ])
      .limit(options.limit);
    return rows.map((row: Record<string, unknown>) => ({
      key: String(row.key),
      attempts: Number(row.attempts),
      ...totalsOf(row),
    }));
  }

  #where(namespace: string, filter: SpendFilter, since: Date) {
    const query = this.knex(TABLE)
      .where('namespace', namespace)
      .andWhere('started_at', '>=', since.getTime());
    if (filter.stack !== undefined) query.andWhere('stack', filter.stack);
    if (filter.rule !== undefined) query.andWhere('rule', filter.rule);
    if (filter.owner !== undefined) query.andWhere('owner', filter.owner);
    return query;
  }
}
