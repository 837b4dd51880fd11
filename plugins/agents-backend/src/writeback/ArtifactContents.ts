import { Knex } from 'knex';

const TABLE = 'agents_artifact_contents';

/** The content of review artifacts, kept by the backend beside the artifact records. */
export class ArtifactContents {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Stores an artifact's content; a second save of the same artifact keeps the first. */
  async save(
    namespace: string,
    artifact: string,
    content: string,
    digest: string,
    tx: Knex | Knex.Transaction = this.#knex,
  ): Promise<void> {
    await tx(TABLE)
      .insert({ namespace, artifact, content, digest })
      .onConflict(['namespace', 'artifact'])
      .ignore();
  }

  async get(
    namespace: string,
    artifact: string,
  ): Promise<{ content: string; digest: string } | undefined> {
    const row = await this.#knex(TABLE)
      .where({ namespace, artifact })
      .first('content', 'digest');
    return row ? { content: row.content, digest: row.digest } : undefined;
  }
}
