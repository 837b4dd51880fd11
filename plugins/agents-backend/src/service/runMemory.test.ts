import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { TRIGGER_RULE_LABEL } from '@krate/plugin-agents-common';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  applyObjects,
  dispatchConfig,
  isFinished,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { git } from '../__testUtils__/gitFixtures';
import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(90_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';
const INCIDENT = 'incidents/2026-11-payments-timeouts';
const RUNBOOK = 'runbooks/payments-api-rollback.md';

const object = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const stack = (name: string, memorySource?: object) =>
  object('AgentStack', name, {
    runtime: 'scripted',
    script: { steps: [{ say: 'read the memory' }] },
    ...(memorySource ? { memorySource } : {}),
  });

describe.each(databases.eachSupportedId())('runs read memory on %p', id => {
  let dataDir: string;
  let repository: ReturnType<typeof createMemoryRepository>;
  let second: string;
  /** The groups of the signed-in user (mockCredentials' user). */
  let groups: string[];

  beforeEach(() => {
    groups = ['group:default/platform'];
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-run-memory-'));
    repository = createMemoryRepository();
    second = repository.commit('2026-12-03T10:00:00Z', {
      [RUNBOOK]: `---
kind: runbook
owner: group:default/payments
---
# Rolling back payments-api

Switch traffic back to the old color; blue-green keeps it up for an hour.
`,
    });
  });
  /** Each test's backends: stopped after it, so a file's backends do not all poll at once. */
  const started: { stop(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map(running => running.stop()));
    repository.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function backend(permissions?: { factory: any }) {
    const { db, store } = await createTestStore(databases, id);
    const testBackend = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.userInfo.mock({
          getUserInfo: async () => ({
            userEntityRef: 'user:default/mock',
            ownershipEntityRefs: ['user:default/mock', ...groups],
          }),
        }).factory,
        ...(permissions ? [permissions.factory] : []),
        mockServices.rootConfig.factory({
          data: {
            agents: dispatchConfig(dataDir, {
              workspaces: {
                root: path.join(dataDir, 'workspaces'),
                repositoryRoots: [path.join(dataDir, 'repositories')],
              },
              memory: { orgs: [{ org: 'acme', path: repository.path }] },
              webhooks: [{ name: 'github', secret: SECRET }],
            }),
          },
        }),
      ],
    });
    started.push(testBackend);
    return { server: testBackend.server, store };
  }

  const dispatch = (server: any, body: object) =>
    request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', prompt: 'Use what you know', ...body });

  async function finishedRun(server: any, body: object) {
    const response = await dispatch(server, body);
    expect(response.status).toBe(201);
    return waitForRun(server, response.body.metadata.name, isFinished);
  }

  const runMemory = async (server: any, run: string) =>
    (await request(server).get(`/api/agents/runs/acme/${run}/memory`)).body;

  it('resolves the memory at dispatch, writes selection and snapshot on the run, and gives each attempt the parts with path@commit provenance', async () => {
    const { server } = await backend();
    await applyObjects(
      server,
      stack('reader', {
        org: 'acme',
        queries: [{ type: 'record', id: 'services/ledger' }],
      }),
    );
    const run = await finishedRun(server, {
      stack: 'reader',
      memory: {
        queries: [
          { type: 'search', pattern: 'blue-green' },
          { type: 'record', id: 'services/ledger' },
        ],
      },
    });
    expect(run.spec.memory).toEqual({
      org: 'acme',
      queries: [
        { type: 'record', id: 'services/ledger' },
        { type: 'search', pattern: 'blue-green' },
      ],
    });
    expect(run.spec.memorySnapshot).toEqual({
      org: 'acme',
      commit: second,
      resolvedFrom: 'current',
      time: expect.any(String),
      manifest: [
        { query: 0, path: 'services/ledger.md', id: 'services/ledger' },
        {
          query: 1,
          path: RUNBOOK,
          id: 'runbooks/payments-api-rollback',
          line: 7,
        },
      ],
      withheld: 0,
    });
    const bundle = (
      await request(server).get(
        `${API}/agentcontextbundles/${run.metadata.name}-1-context`,
      )
    ).body;
    const memoryParts = bundle.spec.parts.filter(
      (part: any) => part.kind === 'memory',
    );
    expect(memoryParts).toEqual([
      expect.objectContaining({
        provenance: { source: 'services/ledger.md', ref: second },
        content: expect.stringContaining('The book of record'),
        redactions: 0,
      }),
      expect.objectContaining({
        provenance: { source: `${RUNBOOK}#L7`, ref: second },
        content: `${RUNBOOK}:7\n---\n# Rolling back payments-api\n\nSwitch traffic back to the old color; blue-green keeps it up for an hour.`,
      }),
    ]);
    expect(bundle.spec.parts.map((part: any) => part.kind)).toEqual([
      'memory',
      'memory',
      'prompt',
    ]);

    // A retry reads the same commit and manifest, though the memory moved on.
    repository.commit('2026-12-05T10:00:00Z', {
      'services/ledger.md': '# ledger\n\nRewritten.\n',
    });
    const retried = await request(server).post(
      `/api/agents/runs/${run.metadata.name}/retry`,
    );
    expect(retried.status).toBe(202);
    await waitForRun(
      server,
      run.metadata.name,
      r => isFinished(r) && r.status.currentAttempt.endsWith('-2'),
    );
    const again = await request(server).get(
      `${API}/agentcontextbundles/${run.metadata.name}-2-context`,
    );
    expect(
      again.body.spec.parts.filter((part: any) => part.kind === 'memory'),
    ).toEqual(memoryParts);
  });

  it('reads the memory at a ref, a tag or a time: two runs at two commits see different parts, and `at` always gives the same commit', async () => {
    const { server } = await backend();
    await applyObjects(server, stack('reader'));
    const query = { type: 'search', pattern: 'blue-green' };
    repository.tag('v1');
    const before = await finishedRun(server, {
      stack: 'reader',
      memory: { ref: repository.first, queries: [query] },
    });
    const now = await finishedRun(server, {
      stack: 'reader',
      memory: { tag: 'v1', queries: [query] },
    });
    expect(before.spec.memorySnapshot).toMatchObject({
      commit: repository.first,
      resolvedFrom: `ref ${repository.first}`,
      manifest: [],
    });
    expect(now.spec.memorySnapshot).toMatchObject({
      commit: second,
      resolvedFrom: 'tag v1',
      manifest: [{ path: RUNBOOK, line: 7 }],
    });
    expect((await runMemory(server, before.metadata.name)).parts).toEqual([]);
    expect((await runMemory(server, now.metadata.name)).parts).toHaveLength(1);

    for (let i = 0; i < 2; i++) {
      const dated = await dispatch(server, {
        stack: 'reader',
        memory: { at: '2026-12-02T12:00:00+01:00' },
      });
      expect(dated.body.spec.memorySnapshot).toMatchObject({
        commit: repository.first,
        resolvedFrom: 'at 2026-12-02T12:00:00+01:00',
      });
    }
  });

  it.each([
    [{ bogus: 1 }, 'memory.bogus: unknown field'],
    [{ ref: 'main', at: '2026-12-02T00:00:00Z' }, 'memory.at:'],
    [{ ref: 'no-such-branch' }, 'memory.ref:'],
    [{ at: '2020-01-01T00:00:00Z' }, 'memory.at:'],
    [
      { queries: [{ type: 'search', pattern: '(', regex: true }] },
      'memory.queries[0].pattern:',
    ],
    [
      { queries: [{ type: 'search', pattern: 'x', limit: 500 }] },
      'memory.queries[0].limit:',
    ],
    [
      {
        queries: [
          { type: 'record', id: 'x' },
          { type: 'graph', depth: 9 },
        ],
      },
      'memory.queries[1].depth:',
    ],
    [
      { queries: [{ type: 'record', id: 'services/nothing' }] },
      'memory.queries[0].id: no record services/nothing at',
    ],
    [
      { queries: [{ type: 'record', id: INCIDENT }] },
      `memory.queries[0].id: no record ${INCIDENT} at`,
    ],
    [
      {
        queries: Array.from({ length: 21 }, (_, i) => ({
          type: 'record',
          id: `r${i}`,
        })),
      },
      'memory.queries: at most 20',
    ],
    [{ org: 'globex' }, 'memory.org: globex has no memory repository'],
  ])(
    'refuses %j with 400 naming the field, writing no run',
    async (memory, message) => {
      const { server } = await backend();
      await applyObjects(server, stack('reader'));
      const response = await dispatch(server, { stack: 'reader', memory });
      expect(response.status).toBe(400);
      expect(response.body.error.message.startsWith(message)).toBe(true);
      const runs = await request(server).get(`${API}/agentdispatchruns`);
      expect(runs.body.items).toEqual([]);
    },
  );

  it('refuses a stack whose memory names an org without memory, and needs agents.memory.read only when memory is asked', async () => {
    const denied = await backend(
      permissionsDenying(name => name === 'agents.memory.read'),
    );
    await applyObjects(
      denied.server,
      stack('reader'),
      stack('globex-reader', { org: 'globex' }),
    );
    const refused = await dispatch(denied.server, {
      stack: 'reader',
      memory: { queries: [{ type: 'record', id: 'services/ledger' }] },
    });
    expect(refused.status).toBe(403);
    expect(
      (await request(denied.server).get(`${API}/agentdispatchruns`)).body.items,
    ).toEqual([]);
    const plain = await dispatch(denied.server, { stack: 'reader' });
    expect(plain.status).toBe(201);
    expect(plain.body.spec.memory).toBeUndefined();
    expect(plain.body.spec.memorySnapshot).toBeUndefined();
    expect(
      (await runMemory(denied.server, plain.body.metadata.name)).snapshot,
    ).toBeNull();

    const { server } = await backend();
    await applyObjects(server, stack('globex-reader', { org: 'globex' }));
    const noMemory = await dispatch(server, { stack: 'globex-reader' });
    expect(noMemory.status).toBe(400);
    expect(noMemory.body.error.message).toBe(
      'memory.org: globex has no memory repository',
    );
  });

  it('never gives a team-scoped record to a requester outside the team or to a rule-created run, but does to a member', async () => {
    const { server } = await backend();
    const query = { type: 'search', pattern: 'retried without a budget' };
    await applyObjects(
      server,
      stack('reader', { queries: [query] }),
      object('AgentTriggerRule', 'on-label', {
        lifecycle: 'active',
        source: { events: ['label'] },
        stack: 'reader',
        promptTemplate: 'Look at issue {{event.issue.number}}',
        memory: { queries: [{ type: 'graph', kinds: ['incident'] }] },
      }),
    );
    const outsider = await finishedRun(server, { stack: 'reader' });
    expect(outsider.spec.memorySnapshot).toMatchObject({
      manifest: [],
      withheld: 1,
    });
    const seenByOutsider = await runMemory(server, outsider.metadata.name);
    expect(JSON.stringify(seenByOutsider)).not.toContain('tripled the load');
    expect(seenByOutsider.parts).toEqual([]);

    groups = ['group:default/payments'];
    const member = await finishedRun(server, { stack: 'reader' });
    expect(member.spec.memorySnapshot).toMatchObject({
      manifest: [{ path: `${INCIDENT}.md`, id: INCIDENT, line: 13 }],
      withheld: 0,
    });
    expect((await runMemory(server, member.metadata.name)).parts).toEqual([
      expect.objectContaining({
        content: expect.stringContaining('retried without a budget'),
      }),
    ]);
    // Someone outside the team reading the member's run does not see it either.
    groups = [];
    const overTheShoulder = await runMemory(server, member.metadata.name);
    expect(overTheShoulder.snapshot).toMatchObject({
      manifest: [],
      withheld: 1,
    });
    expect(overTheShoulder.parts).toEqual([]);

    groups = ['group:default/payments'];
    const delivered = await deliver(server, {
      action: 'labeled',
      label: { name: 'agent:ready' },
      issue: { number: 7, title: 'Timeouts again', state: 'open' },
      repository: { full_name: 'acme/payments-api' },
      sender: { login: 'octocat' },
    });
    expect(delivered.status).toBe(202);
    const ruleRun = await ruleRunOf(server);
    expect(ruleRun.spec.memory).toEqual({
      org: 'acme',
      queries: [query, { type: 'graph', kinds: ['incident'] }],
    });
    expect(ruleRun.spec.memorySnapshot).toMatchObject({
      manifest: [],
      withheld: 2,
    });
    const finished = await waitForRun(
      server,
      ruleRun.metadata.name,
      isFinished,
    );
    const bundle = (
      await request(server).get(
        `${API}/agentcontextbundles/${finished.metadata.name}-1-context`,
      )
    ).body;
    expect(JSON.stringify(bundle)).not.toContain('tripled the load');
  });

  it('answers the run memory against the current memory: head, changed files and their diff', async () => {
    const { server } = await backend();
    await applyObjects(server, stack('reader'));
    const run = await finishedRun(server, {
      stack: 'reader',
      memory: {
        queries: [
          { type: 'record', id: 'runbooks/payments-api-rollback' },
          { type: 'record', id: 'services/ledger' },
        ],
      },
    });
    const unchanged = await runMemory(server, run.metadata.name);
    expect(unchanged).toMatchObject({
      current: { commit: second },
      diff: '',
      changed: [],
      selection: run.spec.memory,
    });
    const third = repository.commit('2026-12-06T10:00:00Z', {
      [RUNBOOK]: `---
kind: runbook
owner: group:default/payments
---
# Rolling back payments-api

Switch traffic back to the old color; blue-green keeps it up for a day.
`,
      'teams/platform.md': '# platform\n\nNot selected by the run.\n',
    });
    const moved = await runMemory(server, run.metadata.name);
    expect(moved.snapshot.commit).toBe(second);
    expect(moved.current).toEqual({ commit: third });
    expect(moved.changed).toEqual([RUNBOOK]);
    expect(moved.diff).toContain(`--- a/${RUNBOOK}`);
    expect(moved.diff).toContain(
      '-Switch traffic back to the old color; blue-green keeps it up for an hour.',
    );
    expect(moved.diff).toContain(
      '+Switch traffic back to the old color; blue-green keeps it up for a day.',
    );
    expect(moved.diff).not.toContain('teams/platform.md');
  });

  it('previews exactly what a dispatch with the same selection selects', async () => {
    const { server } = await backend();
    await applyObjects(server, stack('reader'));
    const selection = {
      org: 'acme',
      ref: 'main',
      queries: [
        { type: 'graph', around: 'services/payments-api', depth: 1 },
        { type: 'search', pattern: 'idempotency', kinds: ['decision'] },
      ],
    };
    const preview = await request(server)
      .post('/api/agents/memory/preview')
      .send(selection);
    expect(preview.status).toBe(200);
    expect(preview.body.resolved).toMatchObject({ commit: second });
    const run = (await dispatch(server, { stack: 'reader', memory: selection }))
      .body;
    const previewed = preview.body.results.flatMap(
      (result: any, query: number) =>
        result.items.map((item: any) => ({
          query,
          path: item.path,
          id: item.id,
          ...(item.line ? { line: item.line } : {}),
        })),
    );
    expect(previewed.length).toBeGreaterThan(2);
    expect(run.spec.memorySnapshot.manifest).toEqual(previewed);
    expect(preview.body.results[1].items[0]).toMatchObject({
      kind: 'decision',
      excerpt: expect.stringContaining('idempotency'),
    });

    const bad = await request(server)
      .post('/api/agents/memory/preview')
      .send({ org: 'acme', queries: [{ type: 'search' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^queries\[0\]\.pattern:/);
  });

  it('lists stale records (sources changed after review) and pending updates in the status, and the records about an entity', async () => {
    const clone = path.join(dataDir, 'repositories', 'acme', 'payments-api');
    mkdirSync(path.join(clone, 'src'), { recursive: true });
    git(clone, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(clone, 'src/index.js'), 'x\n');
    git(clone, 'add', '.');
    git(
      clone,
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@x',
      'commit',
      '-q',
      '-m',
      'server',
    );
    const changeCommit = git(clone, 'rev-parse', 'HEAD');
    const { server, store } = await backend();
    for (const [name, phase] of [
      ['one', 'Proposed'],
      ['two', 'Proposed'],
      ['three', 'Conflict'],
      ['four', 'Merged'],
    ]) {
      await store.create(
        {
          ...object('AgentMemoryUpdate', name, {
            title: name,
            baseCommit: second,
            patch: '',
            files: [],
            source: { kind: 'user' },
            proposedBy: 'user:default/mock',
          }),
          status: { phase },
        },
        { actor: 'user:default/mock' },
      );
    }
    const status = (await request(server).get('/api/agents/memory?org=acme'))
      .body;
    expect(status.stale).toEqual([
      {
        id: 'services/payments-api',
        path: 'services/payments-api.md',
        reviewed: '2026-11-02',
        source: 'acme/payments-api/src/index.js',
        changedAt: expect.any(String),
        changeCommit,
      },
    ]);
    expect(status.pendingUpdates).toEqual({
      proposed: 2,
      approved: 0,
      conflict: 1,
    });
    // The other source has no commit touching it: told, not an error.
    expect(status.unknownSources).toEqual([
      expect.objectContaining({
        id: 'services/payments-api',
        source: 'acme/payments-api/src/rounding.js',
      }),
    ]);

    const about = await request(server).get(
      '/api/agents/memory/entity-records?entityRef=group:default/payments&repository=acme/payments-api',
    );
    expect(about.status).toBe(200);
    const ids = about.body.items.map((item: any) => item.id);
    expect(ids).toContain('services/payments-api');
    expect(ids).not.toContain(INCIDENT);
    expect(about.body.items[0]).toMatchObject({ org: 'acme', commit: second });
    groups = ['group:default/payments'];
    const member = await request(server).get(
      '/api/agents/memory/entity-records?entityRef=group:default/payments',
    );
    expect(member.body.items.map((item: any) => item.id)).toContain(INCIDENT);
  });

  /** A signed `issues` delivery, as GitHub sends it. */
  function deliver(server: any, payload: object) {
    const body = JSON.stringify(payload);
    return request(server)
      .post('/api/agents/webhooks/github')
      .set('content-type', 'application/json')
      .set('x-github-event', 'issues')
      .set('x-github-delivery', randomUUID())
      .set(
        'x-hub-signature-256',
        `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      )
      .send(body);
  }

  async function ruleRunOf(server: any) {
    for (let i = 0; i < 200; i++) {
      const runs = await request(server).get(
        `${API}/agentdispatchruns?labelSelector=${encodeURIComponent(
          `${TRIGGER_RULE_LABEL}=on-label`,
        )}`,
      );
      if (runs.body.items?.length) return runs.body.items[0];
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    throw new Error('the rule created no run');
  }
});
