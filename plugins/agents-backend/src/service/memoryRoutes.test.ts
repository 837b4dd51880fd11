import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { agentsPermissions } from '@krate/plugin-agents-common';
import request from 'supertest';
import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { MemoryService } from '../memory/MemoryService';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { createMemoryRoutes } from './memoryRoutes';

jest.setTimeout(60_000);

const BASE = '/api/agents/memory';

describe('memory routes', () => {
  let repository: ReturnType<typeof createMemoryRepository>;
  let second: string;
  /** The groups the signed-in user (mockCredentials' user) belongs to. */
  let groups: string[];

  beforeEach(() => {
    groups = ['group:default/platform'];
    repository = createMemoryRepository();
    second = repository.commit('2026-12-03T10:00:00Z', {
      'runbooks/payments-api-rollback.md': `---
kind: runbook
owner: group:default/payments
---
# Rolling back payments-api

Switch traffic back to the old color; blue-green keeps it up for an hour.
`,
    });
  });
  afterEach(() => repository.remove());

  async function start(
    permissions: { factory: any } = permissionsDenying(() => false),
    features: any[] = [],
  ) {
    const memory = new MemoryService([
      { org: 'acme', repositoryPath: repository.path },
    ]);
    const plugin = createBackendPlugin({
      pluginId: 'agents',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            permissions: coreServices.permissions,
            permissionsRegistry: coreServices.permissionsRegistry,
          },
          async init(deps) {
            deps.permissionsRegistry.addResourceType({
              resourceRef: agentsResourceRef,
              permissions: agentsPermissions,
              rules: agentsPermissionRules,
              getResources: async refs => refs.map(() => undefined),
            });
            const access = new ResourceAccess(
              deps.httpAuth,
              deps.permissions,
              deps.permissionsRegistry.getPermissionRuleset(agentsResourceRef),
            );
            deps.httpRouter.use(
              createMemoryRoutes({
                memory,
                access,
                userInfo: {
                  getUserInfo: async () => ({
                    userEntityRef: 'user:default/mock',
                    ownershipEntityRefs: ['user:default/mock', ...groups],
                  }),
                },
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [plugin, permissions.factory, ...features],
    });
    return server;
  }

  it('answers the status of the org memory at the resolved commit', async () => {
    const server = await start();
    const response = await request(server).get(`${BASE}?org=acme`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      org: 'acme',
      resolved: { commit: second, ref: expect.any(String) },
      head: second,
      records: 11,
      ontology: { valid: true, issues: [] },
      index: { commit: second, fresh: true },
      deniedQueries: 0,
    });
    const past = await request(server).get(
      `${BASE}?org=acme&at=2026-12-02T00:00:00Z`,
    );
    expect(past.body).toMatchObject({
      resolved: { commit: repository.first },
      index: { commit: repository.first, fresh: false },
    });
  });

  it('searches at a point in time with file@commit citations', async () => {
    const server = await start();
    const now = await request(server).get(
      `${BASE}/search?org=acme&q=blue-green&kind=runbook`,
    );
    expect(now.status).toBe(200);
    expect(now.body).toEqual({
      resolved: expect.objectContaining({ commit: second }),
      commit: second,
      results: [
        {
          path: 'runbooks/payments-api-rollback.md',
          line: 7,
          text: 'Switch traffic back to the old color; blue-green keeps it up for an hour.',
          citation: `runbooks/payments-api-rollback.md@${second}#L7`,
          record: {
            id: 'runbooks/payments-api-rollback',
            kind: 'runbook',
            title: 'Rolling back payments-api',
          },
        },
      ],
      withheld: 0,
      truncated: false,
    });
    const before = await request(server).get(
      `${BASE}/search?org=acme&q=blue-green&ref=${repository.first}`,
    );
    expect(before.body.results).toEqual([]);
    const regex = await request(server).get(
      `${BASE}/search?org=acme&q=${encodeURIComponent(
        '^# (ledger|payments-api)$',
      )}&regex=true`,
    );
    expect(regex.body.results.map((r: any) => r.path).sort()).toEqual([
      'services/ledger.md',
      'services/payments-api.md',
    ]);
  });

  it('withholds a team-scoped record from others in search, graph and reads, and counts the denied query', async () => {
    const server = await start();
    const incident = 'incidents/2026-11-payments-timeouts';
    const search = await request(server).get(
      `${BASE}/search?org=acme&q=${encodeURIComponent(
        'retried without a budget',
      )}`,
    );
    expect(search.body).toMatchObject({ results: [], withheld: 1 });
    const graph = await request(server).get(`${BASE}/graph?org=acme`);
    expect(graph.body.withheld).toBe(1);
    expect(graph.body.nodes.map((n: any) => n.id)).not.toContain(incident);
    const read = await request(server).get(
      `${BASE}/records?org=acme&id=${incident}`,
    );
    expect(read.status).toBe(404);
    expect(read.body.error.message).toBe(
      `id: no record ${incident} at ${second}`,
    );
    expect(
      (await request(server).get(`${BASE}?org=acme`)).body.deniedQueries,
    ).toBe(1);

    groups = ['group:default/payments'];
    const member = await request(server).get(
      `${BASE}/records?org=acme&id=${incident}`,
    );
    expect(member.status).toBe(200);
    expect(member.body).toMatchObject({
      record: { id: incident, kind: 'incident' },
      citation: `${incident}.md@${second}`,
      content: expect.stringContaining('retried without a budget'),
    });
  });

  it('draws the graph around a record, filtered by kind', async () => {
    const server = await start();
    const response = await request(server).get(
      `${BASE}/graph?org=acme&around=teams/payments&kind=service,runbook`,
    );
    expect(response.status).toBe(200);
    expect(response.body.nodes.map((n: any) => n.id).sort()).toEqual([
      'runbooks/payments-api-rollback',
      'services/payments-api',
      'teams/payments',
    ]);
    expect(response.body.edges).toEqual(
      expect.arrayContaining([
        { from: 'teams/payments', to: 'services/payments-api', kind: 'owns' },
      ]),
    );
  });

  it('serves search documents of the records the caller may see, page by page; a service sees only org-wide records', async () => {
    const server = await start();
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await request(server).get(
        `${BASE}/search-documents?limit=4${
          cursor ? `&continue=${cursor}` : ''
        }`,
      );
      expect(page.status).toBe(200);
      pages.push(page.body.items);
      cursor = page.body.continue;
    } while (cursor);
    const documents = pages.flat();
    expect(pages.map(page => page.length)).toEqual([4, 4, 2]);
    expect(documents.map((d: any) => d.path)).not.toContain(
      'incidents/2026-11-payments-timeouts.md',
    );
    expect(documents.find((d: any) => d.path === 'services/ledger.md')).toEqual(
      {
        title: 'ledger',
        text: '# ledger The book of record for money movements. Append-only; corrections are new entries, never edits.',
        location: '/agents/memory/records?org=acme&id=services%2Fledger',
        kind: 'service',
        namespace: 'acme',
        path: 'services/ledger.md',
        commit: second,
        authorization: { resourceRef: 'AgentMemory:acme/memory' },
      },
    );

    groups = ['group:default/payments'];
    const member = await request(server).get(`${BASE}/search-documents`);
    expect(member.body.items).toHaveLength(11);

    const asService = await start(undefined, [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.service('plugin:search'),
      }),
    ]);
    const indexed = await request(asService).get(`${BASE}/search-documents`);
    expect(indexed.body.items).toHaveLength(10);
    expect(
      (await request(asService).get(`${BASE}/search-documents?continue=x`)).body
        .error.message,
    ).toBe('continue: not a cursor this route gave out; start without it');
  });

  it.each([
    ['', 'org: say whose memory, e.g. org=acme'],
    ['/search?org=acme', 'q: give the text or pattern to search for'],
    ['/search?org=acme&q=x&limit=0', 'limit: must be an integer from 1 to 500'],
    [
      '/search?org=acme&q=x&path=../etc',
      "path: '../etc' must be a path inside the memory repository",
    ],
    ['/search?org=acme&q=(&regex=true', 'pattern:'],
    ['/search?org=acme&q=x&regex=maybe', 'regex: must be true or false'],
    ['/graph?org=acme&depth=9', 'depth: must be an integer from 1 to 5'],
    ['?org=acme&at=yesterday', 'at:'],
    ['?org=acme&at=2020-01-01T00:00:00Z', 'at:'],
    ['?org=acme&ref=no-such-branch', 'ref:'],
    ['?org=acme&ref=-x', 'ref:'],
    ['/records?org=acme', 'id: give the record id, e.g. services/payments-api'],
  ])('answers 400 naming the field for %p', async (query, message) => {
    const server = await start();
    const response = await request(server).get(`${BASE}${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('answers 404 for an org without memory and for an unknown record', async () => {
    const server = await start();
    expect((await request(server).get(`${BASE}?org=globex`)).status).toBe(404);
    expect(
      (await request(server).get(`${BASE}/graph?org=acme&around=nothing`))
        .status,
    ).toBe(404);
  });

  it('is permission-checked: agents.memory.read, scoped by org', async () => {
    const denied = await start(
      permissionsDenying(name => name === 'agents.memory.read'),
    );
    expect((await request(denied).get(`${BASE}?org=acme`)).status).toBe(403);
    expect(
      (await request(denied).get(`${BASE}/search?org=acme&q=x`)).status,
    ).toBe(403);

    const onlyGlobex = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'agents',
          resourceType: 'agents-resource',
          conditions: {
            rule: 'IS_IN_NAMESPACE',
            resourceType: 'agents-resource',
            params: { namespaces: ['globex'] },
          },
        })) as any,
    });
    const scoped = await start(onlyGlobex);
    expect((await request(scoped).get(`${BASE}?org=acme`)).status).toBe(403);
    expect((await request(scoped).get(`${BASE}/orgs`)).body).toEqual({
      items: [],
    });
  });
});
