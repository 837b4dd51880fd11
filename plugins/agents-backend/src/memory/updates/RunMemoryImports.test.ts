import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../../plugin';
import { agentsModuleScriptedRuntime } from '../../runtimes/scripted';
import { createMemoryRepository } from '../../__testUtils__/memoryRepository';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  applyObjects,
  dispatchConfig,
  isFinished,
  waitForRun,
} from '../../__testUtils__/dispatchTestKit';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { WorkingDirectories } from '../../dispatch/WorkingDirectories';
import { MemoryService } from '../MemoryService';
import { fallbackIdentity } from './commitIdentities';
import { MemoryUpdates } from './MemoryUpdates';
import { RunMemoryImports } from './RunMemoryImports';

jest.setTimeout(90_000);

const databases = createTestDatabases();
const JOURNAL = '# Run journal\n\nThe ledger retries at most three times.\n';

const scribe = (name: string, memorySource: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace: 'acme' },
  spec: {
    runtime: 'scripted',
    memorySource,
    script: {
      steps: [
        { say: 'Writing down what I learned' },
        {
          writeFile: {
            path: '.krate/memory/journal/ledger-retries.md',
            content: JOURNAL,
          },
        },
      ],
    },
  },
});

describe.each(databases.eachSupportedId())('run memory imports on %p', id => {
  let dataDir: string;
  let repository: ReturnType<typeof createMemoryRepository>;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-memory-import-'));
    repository = createMemoryRepository();
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
    repository.remove();
  });

  async function backend(databaseId: TestDatabaseId) {
    const { db } = await createTestStore(databases, databaseId);
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({
          data: {
            agents: dispatchConfig(dataDir, {
              memory: {
                orgs: [{ org: 'acme', path: repository.path }],
              },
            }),
          },
        }),
      ],
    });
    return server;
  }

  async function dispatch(server: any, stack: string) {
    const response = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack, prompt: 'Learn something' });
    expect(response.status).toBe(201);
    return waitForRun(server, response.body.metadata.name, isFinished);
  }

  it('proposes what a succeeded run wrote under .krate/memory/, once per attempt', async () => {
    const server = await backend(id);
    await applyObjects(
      server,
      scribe('scribe', { org: 'acme', importUpdates: true }),
      scribe('quiet-scribe', { org: 'acme' }),
    );
    const run = await dispatch(server, 'scribe');
    expect(run.status.phase).toBe('Succeeded');
    const attempt = `${run.metadata.name}-1`;

    const listed = await request(server).get(
      '/api/agents/memory/updates?org=acme',
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const [update] = listed.body.items;
    expect(update).toMatchObject({
      metadata: { name: `${attempt}-memory`, namespace: 'acme' },
      spec: {
        title: `Memory from run ${run.metadata.name}`,
        source: { kind: 'run', run: run.metadata.name, attempt },
        proposedBy: 'user:default/mock',
        files: [{ path: 'journal/ledger-retries.md', change: 'added' }],
      },
      status: { phase: 'Proposed', validation: { valid: true } },
    });
    expect(update.spec.patch).toContain(
      '+The ledger retries at most three times.',
    );

    const events = await request(server).get(
      `/api/agents/runs/${run.metadata.name}/events`,
    );
    expect(
      events.body.items.some(
        (e: any) =>
          e.type === 'artifact' &&
          e.name.startsWith(`Memory update acme/${attempt}-memory proposed`),
      ),
    ).toBe(true);

    // A stack that does not ask for imports leaves the files where they are.
    const quiet = await dispatch(server, 'quiet-scribe');
    expect(quiet.status.phase).toBe('Succeeded');
    const after = await request(server).get(
      '/api/agents/memory/updates?org=acme',
    );
    expect(after.body.items).toHaveLength(1);
  });

  it('warns and proposes nothing when the org has no memory, and leaves out links', async () => {
    const { store } = await createTestStore(databases, id);
    await store.create(
      scribe('globex-scribe', { org: 'globex', importUpdates: true }),
      {
        actor: 'test',
      },
    );
    const runsRoot = path.join(dataDir, 'runs');
    const folder = path.join(runsRoot, 'acme', 'run-1', '.krate', 'memory');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'notes.md'), JOURNAL);
    symlinkSync('/etc/passwd', path.join(folder, 'passwd.md'));
    const imports = new RunMemoryImports({
      store,
      updates: new MemoryUpdates({
        store,
        memory: new MemoryService([
          { org: 'acme', repositoryPath: repository.path },
        ]),
        identities: async ref => fallbackIdentity(ref),
      }),
      directories: new WorkingDirectories(store, runsRoot),
    });
    const events: any[] = [];
    await imports.importAttempt({
      run: {
        metadata: { name: 'run-1', namespace: 'acme' },
        spec: { stack: 'globex-scribe' },
      } as any,
      attempt: {
        metadata: { name: 'run-1-1', namespace: 'acme' },
        spec: {},
      } as any,
      emit: event => events.push(event),
    });
    expect(events).toEqual([
      {
        type: 'warning',
        code: 'MemoryNotImported',
        message: '.krate/memory/passwd.md is not a regular file; left out',
      },
      {
        type: 'warning',
        code: 'MemoryNotImported',
        message:
          'The run wrote 1 file(s) under .krate/memory/, but org globex has no memory repository configured; nothing was proposed',
      },
    ]);
    expect(
      (
        await store.list('AgentMemoryUpdate', {
          namespace: 'globex',
          limit: 10,
        })
      ).items,
    ).toEqual([]);
  });
});
