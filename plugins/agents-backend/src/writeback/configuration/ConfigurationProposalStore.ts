import {
  ConfigurationProposal,
  ConfigurationProposalState,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';

const TABLE = 'agents_configuration_proposals';

interface Row {
  key: string;
  namespace: string;
  kind: string;
  name: string;
  digest: string;
  repository: string;
  path: string;
  branch: string;
  target: string;
  operation: string;
  state: string;
  results: string | null;
  message: string | null;
  requested_by: string;
  lease_until: string | number;
  created_at: string | number;
  updated_at: string | number;
}

function fromRow(row: Row): ConfigurationProposal {
  return {
    key: row.key,
    namespace: row.namespace,
    kind: row.kind,
    name: row.name,
    digest: row.digest,
    repository: row.repository,
    path: row.path,
    branch: row.branch,
    target: row.target,
    operation: row.operation as ConfigurationProposal['operation'],
    state: row.state as ConfigurationProposalState,
    ...(row.results ? { results: JSON.parse(row.results) } : {}),
    ...(row.message ? { message: row.message } : {}),
    requestedBy: row.requested_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

export type NewProposal = Omit<
  ConfigurationProposal,
  'state' | 'results' | 'message' | 'createdAt' | 'updatedAt'
>;

/**
 * The proposals, one row per exactly-once key. A request writes to the outside world only while
 * it holds the row's lease, taken with a conditional update; a row that reached `applied` is
 * never written again.
 */
export class ConfigurationProposalStore {
  readonly #knex: Knex;
  readonly #now: () => number;

  constructor(knex: Knex, options: { now?: () => number } = {}) {
    this.#knex = knex;
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<ConfigurationProposal | undefined> {
    const row = await this.#knex<Row>(TABLE).where({ key }).first();
    return row ? fromRow(row) : undefined;
  }

  /** The proposals of one object, newest first. */
  async forObject(
    namespace: string,
    kind: string,
    name: string,
  ): Promise<ConfigurationProposal[]> {
    const rows = await this.#knex<Row>(TABLE)
      .where({ namespace, kind, name })
      .orderBy('created_at', 'desc')
      .limit(50);
    return rows.map(fromRow);
  }

  /**
   * Takes the proposal's lease for `leaseMs`, creating its row when it is new. Answers the row
   * when this caller may write now; undefined when it is applied already or another request holds
   * the lease (read it with `get`).
   */
  async claim(
    proposal: NewProposal,
    leaseMs: number,
  ): Promise<ConfigurationProposal | undefined> {
    const now = this.#now();
    const inserted = await this.#knex(TABLE)
      .insert({
        key: proposal.key,
        namespace: proposal.namespace,
        kind: proposal.kind,
        name: proposal.name,
        digest: proposal.digest,
        repository: proposal.repository,
        path: proposal.path,
        branch: proposal.branch,
        target: proposal.target,
        operation: proposal.operation,
        state: 'applying',
        requested_by: proposal.requestedBy,
        lease_until: now + leaseMs,
        created_at: now,
        updated_at: now,
      })
      .onConflict(['key'])
      .ignore()
      .returning('key');
    if (inserted.length === 0) {
      const taken = await this.#knex(TABLE)
        .where({ key: proposal.key })
        .whereNot({ state: 'applied' })
        .where('lease_until', '<', now)
        .update({
          state: 'applying',
          message: null,
          lease_until: now + leaseMs,
          updated_at: now,
        });
      if (taken === 0) {
        return undefined;
      }
    }
    return this.get(proposal.key);
  }

  async finish(
    key: string,
    state: Exclude<ConfigurationProposalState, 'applying'>,
    outcome: { results?: unknown[]; message?: string },
  ): Promise<ConfigurationProposal> {
    const now = this.#now();
    await this.#knex(TABLE)
      .where({ key })
      .update({
        state,
        results: outcome.results ? JSON.stringify(outcome.results) : null,
        message: outcome.message ?? null,
        lease_until: 0,
        updated_at: now,
      });
    return (await this.get(key))!;
  }
}
