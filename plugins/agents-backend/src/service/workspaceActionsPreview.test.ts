import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { gitSandbox } from '../__testUtils__/gitFixtures';
import { agentsPlugin } from '../plugin';

jest.setTimeout(60_000);

const ACTION = (name: string) => `/api/agents/workspaces/${name}/action`;
const ACTIONS = (name: string) =>
  `/api/agents/workspaces/${name}/actions?namespace=acme`;

describe('GET /workspaces/:workspace/actions', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  /** Whether the caller lacks agents.workspace.action (after the provision). */
  let denyActions = false;

  async function start() {
    sandbox = gitSandbox();
    denyActions = false;
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(({ permission }) => ({
          result:
            denyActions && permission.name === 'agents.workspace.action'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const started = await startTestBackend({
      features: [
        agentsPlugin,
        permissions.factory,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              // The policy changes mid-test: ask it on every request.
              permissions: { decisionCacheSeconds: 0 },
              workspaces: {
                root: sandbox.root,
                repositoryRoots: [sandbox.base],
              },
            },
          },
        }),
      ],
    });
    const provisioned = await request(started.server).post(ACTION('w1')).send({
      namespace: 'acme',
      action: 'provision',
      repository: 'acme/payments-api',
      repositoryPath: sandbox.repo,
      trustTier: 'trusted',
    });
    expect(provisioned.status).toBe(201);
    return started;
  }

  async function availability(server: any) {
    const response = await request(server).get(ACTIONS('w1'));
    expect(response.status).toBe(200);
    return Object.fromEntries(
      response.body.items.map((item: any) => [
        item.action,
        item.allowed ? true : item.reason,
      ]),
    );
  }

  it('answers each action allowed now or the reason the action would be refused with, changing nothing', async () => {
    const started = await start();
    const { server } = started;
    const before = await request(server).get(
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces/w1',
    );

    expect(await availability(server)).toEqual({
      pin: true,
      unpin: 'unpin: the workspace is not pinned',
      archive: true,
      cleanup: true,
      recover:
        'recover: the path is present; there is nothing to recover (pass path to relink it elsewhere)',
      'notes-save': true,
      'rebase-start': true,
      'rebase-auto-resolve': 'rebase-auto-resolve: no rebase is in progress',
      'rebase-open-in-editor': true,
      'rebase-mark-resolved': 'rebase-mark-resolved: no rebase is in progress',
      'rebase-abort': 'rebase-abort: no rebase is in progress',
      'surface-register': true,
      'surface-remove': true,
    });
    const after = await request(server).get(
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces/w1',
    );
    expect(after.body.metadata.resourceVersion).toBe(
      before.body.metadata.resourceVersion,
    );
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    expect(fs.existsSync(worktree)).toBe(true);

    // What the preview said is what the action answers.
    const abort = await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'rebase-abort' });
    expect(abort.status).toBe(409);
    expect(abort.body.error.message).toBe(
      'rebase-abort: no rebase is in progress',
    );

    await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'pin' })
      .expect(200);
    const pinned = await availability(server);
    expect(pinned).toMatchObject({
      pin: 'pin: the workspace is already pinned',
      unpin: true,
      cleanup: 'cleanup: the workspace is pinned; unpin it first',
    });
    const cleanup = await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'cleanup' });
    expect(cleanup.status).toBe(409);
    expect(cleanup.body.error.message).toBe(pinned.cleanup);

    fs.rmSync(worktree, { recursive: true, force: true });
    expect(await availability(server)).toMatchObject({
      recover: true,
      'rebase-start':
        'rebase-start: the workspace path is missing; recover, archive or cleanup it',
    });
    await started.stop();
  });

  it('names the missing permission, and answers 404 and 400 like the other routes', async () => {
    const started = await start();
    const { server } = started;
    denyActions = true;
    const { body } = await request(server).get(ACTIONS('w1'));
    expect(body.items).toContainEqual({
      action: 'pin',
      permission: 'agents.workspace.action',
      allowed: false,
      reason:
        'You may not run actions on this workspace (agents.workspace.action)',
    });
    expect(body.items.every((item: any) => !item.allowed)).toBe(true);
    expect((await request(server).get(ACTIONS('nope'))).status).toBe(404);
    const missing = await request(server).get(
      '/api/agents/workspaces/w1/actions',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('namespace: is required');
    await started.stop();
  });
});
