import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import {
  testRuntime,
  testRuntimeModule,
} from '../__testUtils__/testRuntimeModule';

const databases = createTestDatabases();

const RUNS =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentdispatchruns';

const run = (name: string, repository: string, phase: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentDispatchRun',
  metadata: { name, namespace: 'acme' },
  spec: { stack: 'scripted-demo', prompt: 'Fix the flaky test', repository },
  status: { phase },
});

describe('typed routes', () => {
  it('lists and creates stacks through /stacks', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const created = await request(server)
      .post('/api/agents/stacks')
      .send({
        metadata: { name: 'reviewer', namespace: 'acme' },
        spec: { runtime: 'scripted' },
      });
    expect(created.status).toBe(201);
    expect(created.body.kind).toBe('AgentStack');

    const list = await request(server).get('/api/agents/stacks?namespace=acme');
    expect(list.body).toEqual({
      items: [
        expect.objectContaining({
          metadata: expect.objectContaining({ name: 'reviewer' }),
        }),
      ],
      resourceVersion: expect.any(String),
    });

    const missingNamespace = await request(server)
      .post('/api/agents/stacks')
      .send({ metadata: { name: 'x' }, spec: { runtime: 'scripted' } });
    expect(missingNamespace.status).toBe(400);
    expect(missingNamespace.body.error.message).toBe(
      'metadata.namespace: is required',
    );
  });

  it('lists runs the way the runs page asks, and finds a run by name', async () => {
    const { db, store } = await createTestStore(databases, 'SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        mockServices.database.factory({ knex: db.knex }),
      ],
    });
    for (const [name, repository, phase] of [
      ['r1', 'acme/payments-api', 'Succeeded'],
      ['r2', 'acme/checkout-web', 'Succeeded'],
      ['r3', 'acme/payments-api', 'Running'],
      ['r4', 'acme/payments-api', 'Succeeded'],
    ]) {
      await store.create(run(name, repository, phase), { actor: 'test' });
    }

    const page1 = await request(server).get(
      '/api/agents/runs?namespace=acme&repository=acme/payments-api&phase=Succeeded&limit=1',
    );
    expect(page1.body.items.map((r: any) => r.metadata.name)).toEqual(['r4']);
    const page2 = await request(server).get(
      `/api/agents/runs?namespace=acme&repository=acme/payments-api&phase=Succeeded&limit=1&continue=${page1.body.continue}`,
    );
    expect(page2.body.items.map((r: any) => r.metadata.name)).toEqual(['r1']);
    expect(page2.body.continue).toBeUndefined();

    const one = await request(server).get('/api/agents/runs/r3');
    expect(one.body.status.phase).toBe('Running');
    expect((await request(server).get('/api/agents/runs/nope')).status).toBe(
      404,
    );
  });

  it('filters workspaces by state', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const response = await request(server).get(
      '/api/agents/workspaces?namespace=acme&state=missing',
    );
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
    const bad = await request(server).get('/api/agents/workspaces?stack=x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'stack: AgentWorkspace cannot be filtered by stack',
    );
  });

  it('reports registered runtimes and their capabilities', async () => {
    const { server } = await startTestBackend({
      features: [agentsPlugin, testRuntimeModule],
    });
    const response = await request(server).get('/api/agents/capabilities');
    const { id, displayName, capabilities } = testRuntime;
    expect(response.body.items).toEqual([{ id, displayName, capabilities }]);
  });

  it('mounts the permission review, which names a missing field (permissionRoutes.test.ts)', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const response = await request(server)
      .post('/api/agents/permissions/review')
      .send({});
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe('namespace: is required');
  });

  it('refuses generic writes of the records the dispatch engine owns', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const forged = await request(server)
      .post(RUNS)
      .send(run('forged', 'acme/payments-api', 'Succeeded'));
    expect(forged.status).toBe(403);
    expect(forged.body.error.message).toBe(
      'AgentDispatchRun records are written by the dispatch engine; use POST /api/agents/runs and /runs/:run/<action>',
    );
    const approval = await request(server)
      .post('/api/agents/apply')
      .send({
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentApproval',
        metadata: { name: 'a1', namespace: 'acme' },
        spec: {
          actionClass: 'shell',
          target: 'npm publish',
          requester: 'user:default/mallory',
          policySource: 'AgentToolProfile/x',
        },
        status: { state: 'approved' },
      });
    expect(approval.status).toBe(403);
  });

  it('creates grants and identities over the same validation, never holding secret values', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const withValue = await request(server)
      .post('/api/agents/secrets/grants')
      .send({
        metadata: { name: 'g', namespace: 'acme' },
        spec: { secretName: 'github', keys: ['token'], value: 'ghp_secret' },
      });
    expect(withValue.status).toBe(400);
    expect(withValue.body.error.message).toMatch(
      /spec\.value: is not a known field/,
    );
    expect(JSON.stringify(withValue.body)).not.toContain('ghp_secret');
    expect(
      (await request(server).get('/api/agents/secrets')).body.items,
    ).toEqual([]);
  });

  it('serves search documents for configuration objects, page by page', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    for (const name of ['a', 'b', 'c']) {
      await request(server)
        .post('/api/agents/stacks')
        .send({
          metadata: { name, namespace: 'acme' },
          spec: { runtime: 'scripted', description: `Stack ${name}` },
        });
    }
    const page1 = await request(server).get(
      '/api/agents/search/documents?limit=2',
    );
    expect(page1.body.items.map((d: any) => d.title)).toEqual([
      'a (AgentStack)',
      'b (AgentStack)',
    ]);
    expect(page1.body.items[0]).toMatchObject({
      location: '/agents/stacks/acme/a',
      kind: 'AgentStack',
      namespace: 'acme',
      text: expect.stringContaining('Stack a'),
    });
    const page2 = await request(server).get(
      `/api/agents/search/documents?limit=2&continue=${page1.body.continue}`,
    );
    expect(page2.body.items.map((d: any) => d.title)).toEqual([
      'c (AgentStack)',
    ]);
    expect(page2.body.continue).toBeUndefined();
  });
});
