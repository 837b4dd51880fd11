import { Knex } from 'knex';
import { CounterResourceVersions } from './CounterResourceVersions';
import { SequenceResourceVersions } from './SequenceResourceVersions';

/**
 * Where resource versions come from, and how far readers may look. `next` hands a writer its
 * version inside its transaction; `horizon` is a version at or below which every write has
 * committed or rolled back, so a reader that has seen everything up to it never finds a later
 * change below it. Lists read after taking the horizon and watches resume from it.
 */
export interface ResourceVersions {
  next(tx: Knex.Transaction): Promise<number>;
  horizon(): Promise<number>;
  /**
   * The last version handed out, committed or not: every write that committed before the call
   * has a version at or below it. The horizon reaches it once its writers have ended.
   */
  latest(): Promise<number>;
}

export function resourceVersionsFor(knex: Knex): ResourceVersions {
  return knex.client.config.client === 'pg'
    ? new SequenceResourceVersions(knex)
    : new CounterResourceVersions(knex);
}
