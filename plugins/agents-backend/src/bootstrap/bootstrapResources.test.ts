import { mockServices } from '@backstage/backend-test-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { AgentsDatabase } from '../database/AgentsDatabase';
import { DatabaseAuditStore } from '../database/AuditStore';
import { DatabaseResourceStore } from '../database/DatabaseResourceStore';
import { bootstrapResources } from './bootstrapResources';

const databases = createTestDatabases();

describe('bootstrapResources', () => {
  async function store() {
    const knex = await databases.init('SQLITE_3');
    const db = await AgentsDatabase.create({
      database: mockServices.database({ knex }),
    });
    return new DatabaseResourceStore({
      knex: db.knex,
      audit: new DatabaseAuditStore(db.knex),
    });
  }

  it('seeds the repository examples once, and never overwrites', async () => {
    const resourceStore = await store();
    const logger = mockServices.logger.mock();
    const examples = resolve(__dirname, '../../../../examples/agents');

    const first = await bootstrapResources({
      paths: [examples],
      store: resourceStore,
      logger,
    });
    expect(first.created).toBeGreaterThanOrEqual(13);
    expect(first.skipped).toBe(0);
    const demo = await resourceStore.get('AgentStack', 'acme', 'scripted-demo');
    expect(demo?.spec.runtime).toBe('scripted');

    await resourceStore.update(
      { ...demo!, spec: { ...demo!.spec, model: 'changed' } },
      {
        actor: 'user:default/alice',
      },
    );
    const second = await bootstrapResources({
      paths: [examples],
      store: resourceStore,
      logger,
    });
    expect(second).toEqual({ created: 0, existing: first.created, skipped: 0 });
    expect(
      (await resourceStore.get('AgentStack', 'acme', 'scripted-demo'))?.spec
        .model,
    ).toBe('changed');
  });

  it('logs and skips invalid documents and missing paths', async () => {
    const resourceStore = await store();
    const logger = mockServices.logger.mock();
    const dir = mkdtempSync(join(tmpdir(), 'bootstrap-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: agents.krate.dev/v1alpha1\nkind: AgentStack\nmetadata: {name: ok, namespace: acme}\nspec: {runtime: scripted}\n---\napiVersion: agents.krate.dev/v1alpha1\nkind: AgentStack\nmetadata: {name: bad, namespace: acme}\nspec: {}\n',
    );

    const counts = await bootstrapResources({
      paths: [dir, join(dir, 'missing')],
      store: resourceStore,
      logger,
    });

    expect(counts).toEqual({ created: 1, existing: 0, skipped: 2 });
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /Skipping document 1 of .*bad\.yaml: spec\.runtime: is required/,
      ),
    );
  });
});
