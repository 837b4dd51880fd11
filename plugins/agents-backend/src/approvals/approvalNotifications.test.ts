import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import {
  dispatchConfig,
  gatedShellProfile,
} from '../__testUtils__/dispatchTestKit';

jest.setTimeout(60_000);

const bob = mockCredentials.user.header('user:default/bob');
const requester = mockCredentials.user.header('user:default/mock');

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'mock', namespace: 'default' },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [
      { type: 'hasMember', targetRef: 'user:default/bob' },
      { type: 'hasMember', targetRef: 'user:default/mock' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-api',
      namespace: 'default',
      annotations: { 'agents.krate.dev/repository': 'acme/payments-api' },
    },
    spec: { type: 'service', owner: 'group:default/payments' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  },
];

const gatedStack = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace: 'acme' },
  spec: {
    runtime: 'scripted',
    toolProfile: 'gated',
    script: { steps: [{ shell: 'echo hello' }] },
    ...extra,
  },
});

describe('approval notifications', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-notify-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function backend() {
    const started = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        notificationsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            agents: dispatchConfig(dataDir),
          },
        }),
      ],
    });
    const applied = await request(started.server)
      .post('/api/agents/apply')
      .send({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          gatedShellProfile,
          gatedStack('named', { approvers: ['group:default/payments'] }),
          gatedStack('owned'),
        ],
      });
    expect(applied.status).toBe(200);
    return started;
  }

  async function pendingApproval(server: any, run: string) {
    for (let i = 0; i < 200; i++) {
      const { body } = await request(server).get(
        '/api/agents/approvals?namespace=acme',
      );
      const approval = body.items.find((a: any) => a.spec.run === run);
      if (approval) return approval;
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    throw new Error(`no approval for ${run}`);
  }

  async function notificationsOf(server: any, user: string) {
    return (
      await request(server)
        .get('/api/notifications/notifications')
        .set('authorization', user)
    ).body.notifications as any[];
  }

  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean) {
    let value = await read();
    for (let i = 0; i < 100 && !ok(value); i++) {
      await new Promise(resolve => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  it("notifies the stack's approvers but not the requester, and updates the notification once decided", async () => {
    const started = await backend();
    const { server } = started;
    const dispatched = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'named', prompt: 'say hello' });
    expect(dispatched.status).toBe(201);
    const approval = await pendingApproval(
      server,
      dispatched.body.metadata.name,
    );
    expect(approval.spec.approvers).toEqual(['group:default/payments']);

    const asked = await eventually(
      () => notificationsOf(server, bob),
      list => list.length > 0,
    );
    expect(asked).toEqual([
      expect.objectContaining({
        user: 'user:default/bob',
        origin: 'plugin:agents',
        payload: expect.objectContaining({
          title: 'Approval needed: shell in acme',
          description: expect.stringContaining('echo hello'),
          link: '/agents/approvals',
          severity: 'high',
          topic: 'Agent approvals',
          scope: `agents.krate.dev/approval/acme/${approval.metadata.name}`,
        }),
      }),
    ]);
    expect(await notificationsOf(server, requester)).toEqual([]);

    const decided = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', bob)
      .send({ decision: 'approve', reason: 'harmless' });
    expect(decided.status).toBe(200);
    const updated = await eventually(
      () => notificationsOf(server, bob),
      list => list[0]?.payload.severity === 'low',
    );
    expect(updated).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Approval approved: shell in acme',
          description: 'echo hello — user:default/bob: harmless',
        }),
      }),
    ]);
    await started.stop();
  });

  it("without approvers on the stack, notifies the owners of the repository's catalog entity", async () => {
    const started = await backend();
    const { server } = started;
    const dispatched = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'owned',
      prompt: 'say hello',
      repository: 'acme/payments-api',
    });
    expect(dispatched.status).toBe(201);
    const approval = await pendingApproval(
      server,
      dispatched.body.metadata.name,
    );
    expect(approval.spec.approvers).toBeUndefined();
    const asked = await eventually(
      () => notificationsOf(server, bob),
      list => list.length > 0,
    );
    expect(asked).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Approval needed: shell in acme/payments-api',
        }),
      }),
    ]);
    expect(await notificationsOf(server, requester)).toEqual([]);
    await started.stop();
  });
});
