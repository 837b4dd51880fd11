import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { stringify } from 'yaml';
import { agentsPlugin } from '../plugin';
import { testRuntimeModule } from '../__testUtils__/testRuntimeModule';
import {
  KubernetesDouble,
  runKubectl,
  startKubernetesDouble,
} from '../__testUtils__/kubernetes';
import { until } from '../__testUtils__/until';

const STACKS =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/default/agentstacks';

const stack = (name: string, model: string) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace: 'default' },
  spec: {
    runtime: 'scripted',
    model,
    script: { steps: [{ say: 'hello' }] },
  },
});

/**
 * The plugin in Kubernetes mode against the API server double: kubectl and the portal work on
 * the same objects, the portal hears of kubectl's changes through its change signals, and the
 * stack controller's status shows in `kubectl get`.
 */
describe('Kubernetes mode', () => {
  let double: KubernetesDouble;
  let folder: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  const published: { kind: string; name: string; type: string }[] = [];

  beforeEach(async () => {
    double = await startKubernetesDouble({ installAgentsCrds: true });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'krate-kubernetes-mode-'));
    published.length = 0;
    backend = await startTestBackend({
      features: [
        agentsPlugin,
        testRuntimeModule,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              kubernetes: {
                cluster: { kubeconfig: double.kubeconfigPath },
                kinds: ['AgentStack', 'AgentTriggerRule'],
                rbacProjection: false,
              },
            },
          },
        }),
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async (signal: any) => {
              published.push(signal.message);
            },
          }),
        }),
      ],
    });
  });

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
    await double.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]) {
    const result = await runKubectl(double.kubeconfigPath, args);
    if (result.code !== 0)
      throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  async function kubectlApply(object: object) {
    const file = path.join(folder, 'stack.yaml');
    fs.writeFileSync(file, stringify(object));
    return kubectl('apply', '-f', file);
  }

  it('reports the cluster on /health', async () => {
    const health = await request(backend!.server).get('/api/agents/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      kubernetes: { status: 'ok', missingCrds: [], missingPermissions: [] },
    });
    expect(health.body.kubernetes.informers).toEqual([
      expect.objectContaining({ kind: 'AgentStack', synced: true }),
      expect.objectContaining({ kind: 'AgentTriggerRule', synced: true }),
    ]);
  });

  it('lists what kubectl applied, signals it, and shows the controller status in kubectl get', async () => {
    await kubectlApply(stack('from-kubectl', 'm1'));

    const listed = await until(
      () => request(backend!.server).get(STACKS),
      response =>
        response.body.items?.some(
          (s: any) => s.metadata.name === 'from-kubectl',
        ),
    );
    expect(listed.status).toBe(200);
    await until(
      async () => published,
      signals =>
        signals.some(s => s.kind === 'AgentStack' && s.name === 'from-kubectl'),
    );

    const ready = await until(
      async () =>
        (
          await request(backend!.server).get(`${STACKS}/from-kubectl`)
        ).body,
      body => body.status?.readiness === 'Ready',
    );
    expect(ready.status.conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      ]),
    );
    const table = await kubectl('get', 'agentstacks', '-n', 'default');
    expect(table).toMatch(/NAME\s+RUNTIME\s+MODEL\s+READINESS\s+AGE/);
    expect(table).toMatch(/from-kubectl\s+scripted\s+m1\s+Ready\s/);

    await kubectlApply(stack('from-kubectl', 'm2'));
    await until(
      async () =>
        (
          await request(backend!.server).get(`${STACKS}/from-kubectl`)
        ).body,
      body => body.spec?.model === 'm2',
    );
    await kubectl('delete', 'agentstack', 'from-kubectl', '-n', 'default');
    await until(
      async () =>
        (
          await request(backend!.server).get(`${STACKS}/from-kubectl`)
        ).status,
      status => status === 404,
    );
  });

  it('answers 409 to a portal write with a stale resourceVersion, and writes the cluster otherwise', async () => {
    const created = await request(backend!.server)
      .post(STACKS)
      .send(stack('portal', 'm1'));
    expect(created.status).toBe(201);
    const inCluster = JSON.parse(
      await kubectl(
        'get',
        'agentstack',
        'portal',
        '-n',
        'default',
        '-o',
        'json',
      ),
    );
    expect(inCluster.spec.model).toBe('m1');

    const stale = created.body.metadata.resourceVersion;
    await kubectlApply(stack('portal', 'changed-by-kubectl'));
    await until(
      async () => (await request(backend!.server).get(`${STACKS}/portal`)).body,
      body => body.spec?.model === 'changed-by-kubectl',
    );

    const conflict = await request(backend!.server)
      .put(`${STACKS}/portal`)
      .send({
        ...stack('portal', 'from-portal'),
        metadata: {
          name: 'portal',
          namespace: 'default',
          resourceVersion: stale,
        },
      });
    expect(conflict.status).toBe(409);
    const after = JSON.parse(
      await kubectl(
        'get',
        'agentstack',
        'portal',
        '-n',
        'default',
        '-o',
        'json',
      ),
    );
    expect(after.spec.model).toBe('changed-by-kubectl');

    // The stack controller writes the status of kubectl's change, and the portal reads from its
    // informer cache: a write may still meet a newer resourceVersion, and a client reads again.
    let replaced: request.Response | undefined;
    for (let tries = 0; tries < 10 && replaced?.status !== 200; tries++) {
      const current = (await request(backend!.server).get(`${STACKS}/portal`))
        .body;
      replaced = await request(backend!.server)
        .put(`${STACKS}/portal`)
        .send({
          ...stack('portal', 'from-portal'),
          metadata: current.metadata,
        });
      if (replaced.status === 409) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }
    expect(replaced!.status).toBe(200);
    const final = JSON.parse(
      await kubectl(
        'get',
        'agentstack',
        'portal',
        '-n',
        'default',
        '-o',
        'json',
      ),
    );
    expect(final.spec.model).toBe('from-portal');
  });

  it('applies nothing when the cluster refuses one document of several', async () => {
    const response = await request(backend!.server)
      .post('/api/agents/apply')
      .set('content-type', 'application/yaml')
      .send(
        [
          stack('first', 'm1'),
          {
            ...stack('second', 'm1'),
            metadata: { name: 'second', namespace: 'no-such-org' },
          },
        ]
          .map(object => stringify(object))
          .join('---\n'),
      );
    expect(response.status).toBe(404);
    expect(response.body.error.message).toBe(
      'document 1 (AgentStack no-such-org/second): namespaces "no-such-org" not found; nothing was applied',
    );
    const listed = JSON.parse(
      await kubectl('get', 'agentstacks', '-A', '-o', 'json'),
    );
    expect(listed.items).toEqual([]);
  });

  it('dry-runs an apply on the API server, which stores nothing', async () => {
    const before = double.requests.length;
    const response = await request(backend!.server)
      .post('/api/agents/apply?dryRun=All')
      .set('content-type', 'application/yaml')
      .send(stringify(stack('dry', 'm1')));
    expect(response.status).toBe(200);
    expect(
      double.requests
        .slice(before)
        .some(r => r.method === 'POST' && r.query.includes('dryRun=All')),
    ).toBe(true);
    const listed = JSON.parse(
      await kubectl('get', 'agentstacks', '-n', 'default', '-o', 'json'),
    );
    expect(listed.items.map((s: any) => s.metadata.name)).not.toContain('dry');
  });
});
