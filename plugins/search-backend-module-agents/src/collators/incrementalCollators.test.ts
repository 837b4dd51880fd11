import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
// The tests run the real agents backend next to the search plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import agentsPlugin from '@krate/plugin-agents-backend';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseAuditStore } from '@krate/plugin-agents-backend/src/database/AuditStore';
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import { DatabaseResourceStore } from '@krate/plugin-agents-backend/src/database/DatabaseResourceStore';
import { AgentsObject } from '@krate/plugin-agents-common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { AgentsApprovalCollatorFactory } from './AgentsApprovalCollatorFactory';
import { AgentsRunCollatorFactory } from './AgentsRunCollatorFactory';

jest.setTimeout(180_000);

const RUNS = 2000;
const CAP = 500;
const ACTOR = { actor: 'user:default/seeder' };

const run = (i: number): AgentsObject => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentDispatchRun',
  metadata: { namespace: 'acme', name: `run-${String(i).padStart(4, '0')}` },
  spec: {
    stack: 'fixer',
    prompt: `  \n  Fix flaky test number ${i}  \nThe second line names the details.`,
    repository: 'acme/payments',
    requestedBy: 'user:default/alice',
  },
  status: { phase: 'Succeeded' },
});

const approval = (name: string, state?: string): AgentsObject => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentApproval',
  metadata: { namespace: 'acme', name },
  spec: {
    actionClass: 'shell',
    toolName: 'Bash',
    target: `npm publish ${name}`,
    requester: 'fixer',
    run: 'run-0001',
    repository: 'acme/payments',
    policySource: 'AgentToolProfile/payments-safe',
  },
  ...(state ? { status: { state, decidedBy: 'user:default/bob' } } : {}),
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'the runs and approvals collators, against a real agents backend on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let store: DatabaseResourceStore;
    let baseUrl: string;
    /** Objects the agents backend answered the collators, request by request. */
    let answered: { url: string; items: number }[];
    const realFetch = globalThis.fetch;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          agentsPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootLogger.factory({ level: 'error' }),
        ],
      });
      baseUrl = `http://127.0.0.1:${
        (backend.server.address() as AddressInfo).port
      }/api/agents`;
      // Seeded through the plugin's own store on the migrated database, as the backend writes.
      store = new DatabaseResourceStore({
        knex,
        audit: new DatabaseAuditStore(knex),
      });
      for (let i = 0; i < RUNS; i++) {
        await store.create(run(i), ACTOR);
      }
    });

    afterAll(() => backend?.stop());

    beforeEach(() => {
      answered = [];
      jest.spyOn(globalThis, 'fetch').mockImplementation(async (...args) => {
        const response = await realFetch(...args);
        const body = await response.clone().json();
        answered.push({ url: String(args[0]), items: body.items?.length });
        return response;
      });
    });
    afterEach(() => jest.restoreAllMocks());

    function source(maxDocuments: number) {
      return {
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => baseUrl,
        }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
        pageSize: 200,
        maxDocuments,
      };
    }

    async function collect(factory: {
      getCollator(): Promise<AsyncIterable<any>>;
    }) {
      const documents = [];
      for await (const document of await factory.getCollator()) {
        documents.push(document);
      }
      return documents;
    }

    const rowsRead = () => answered.reduce((sum, a) => sum + a.items, 0);

    it('reads the latest runs up to the cap, then only the runs that changed', async () => {
      const factory = AgentsRunCollatorFactory.fromOptions(source(CAP));

      const first = await collect(factory);
      expect(rowsRead()).toBe(CAP);
      expect(answered.map(a => a.items)).toEqual([200, 200, 100]);
      expect(first).toHaveLength(CAP);
      expect(first[0]).toMatchObject({
        title: `Fix flaky test number ${RUNS - 1}`,
        location: `/agents/runs/run-${RUNS - 1}?namespace=acme`,
        kind: 'AgentDispatchRun',
        namespace: 'acme',
        repository: 'acme/payments',
        stack: 'fixer',
        phase: 'Succeeded',
        requestedBy: 'user:default/alice',
        authorization: { resourceRef: `AgentDispatchRun:acme/run-${RUNS - 1}` },
      });
      expect(first[0].text).toContain('The second line names the details.');
      expect(first[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      // The oldest runs are beyond the cap.
      expect(first.map(d => d.name)).not.toContain('run-0000');

      answered = [];
      const changed = ['run-0000', 'run-1500', 'run-1999'];
      for (const name of changed) {
        await store.patchStatus(
          { kind: 'AgentDispatchRun', namespace: 'acme', name },
          status => ({ ...status, phase: 'Failed' }),
          ACTOR,
        );
      }
      const second = await collect(factory);
      expect(rowsRead()).toBe(3);
      expect(answered).toHaveLength(1);
      expect(answered[0].url).toMatch(/changedAfter=\d+/);
      expect(second).toHaveLength(CAP);
      // Latest written first: the three changes, then the rest as before.
      expect(second.slice(0, 3).map(d => [d.name, d.phase])).toEqual([
        ['run-1999', 'Failed'],
        ['run-1500', 'Failed'],
        ['run-0000', 'Failed'],
      ]);
      expect(second.filter(d => d.phase === 'Failed')).toHaveLength(3);
      // run-0000 came back in, so the oldest unchanged run kept before (run-1501) drops out.
      const names = second.map(d => d.name);
      expect(names).not.toContain('run-1501');
      expect(names[names.length - 1]).toBe('run-1502');

      answered = [];
      await collect(factory);
      expect(rowsRead()).toBe(0);
    });

    it('indexes approvals, pending and decided, linking their page and their run', async () => {
      await store.create(approval('ap-pending'), ACTOR);
      await store.create(approval('ap-approved', 'approved'), ACTOR);
      const documents = await collect(
        AgentsApprovalCollatorFactory.fromOptions(source(CAP)),
      );
      expect(documents).toEqual([
        expect.objectContaining({
          title: 'Bash: npm publish ap-approved',
          location: '/agents/resources/agentapprovals/acme/ap-approved',
          state: 'approved',
          run: 'run-0001',
          runLocation: '/agents/runs/run-0001?namespace=acme',
          authorization: { resourceRef: 'AgentApproval:acme/ap-approved' },
        }),
        expect.objectContaining({
          title: 'Bash: npm publish ap-pending',
          state: 'pending',
          actionClass: 'shell',
          repository: 'acme/payments',
        }),
      ]);
      expect(documents[0].text).toContain('decided by user:default/bob');
    });

    it('refuses a changedAfter that is no resource version, naming the field', async () => {
      const response = await request(backend.server)
        .get('/api/agents/runs?changedAfter=yesterday')
        .set('authorization', 'Bearer mock-service-token');
      expect(response.status).toBe(400);
      expect(response.body.error.message).toBe(
        'changedAfter: must be a resource version (a non-negative integer)',
      );
    });
  },
);
