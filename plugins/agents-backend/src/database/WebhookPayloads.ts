import { Knex } from 'knex';

const TABLE = 'agents_webhook_payloads';

/** The raw bodies of webhook deliveries, for replays, until their retention ends. */
export class WebhookPayloads {
  constructor(private readonly knex: Knex) {}

  async save(namespace: string, delivery: string, payload: string) {
    await this.knex(TABLE)
      .insert({ namespace, delivery, payload, received_at: Date.now() })
      .onConflict(['namespace', 'delivery'])
      .ignore();
  }

  async get(namespace: string, delivery: string): Promise<string | undefined> {
    const row = await this.knex(TABLE)
      .where({ namespace, delivery })
      .first('payload');
    return row?.payload;
  }

  /** Drops payloads received before `cutoff` (epoch ms); returns how many. */
  async pruneReceivedBefore(cutoff: number): Promise<number> {
    return this.knex(TABLE).where('received_at', '<', cutoff).delete();
  }
}
