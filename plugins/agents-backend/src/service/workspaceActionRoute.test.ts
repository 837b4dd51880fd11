import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { git, gitSandbox } from '../__testUtils__/gitFixtures';
import { agentsPlugin } from '../plugin';

jest.setTimeout(60_000);

const ACTION = (name: string) => `/api/agents/workspaces/${name}/action`;
const WORKSPACES =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces';

describe('POST /workspaces/:workspace/action', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  async function start(
    options: { denyActions?: boolean; events?: unknown[] } = {},
  ) {
    sandbox = gitSandbox();
    const events = options.events ?? [];
    const auditor = mockServices.auditor.mock({
      createEvent: async ({ eventId, meta }: any) => ({
        success: async () => {
          events.push({ eventId, meta, outcome: 'success' });
        },
        fail: async ({ error }: any) => {
          events.push({ eventId, meta, outcome: 'fail', error: error.message });
        },
      }),
    });
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(({ permission }) => ({
          result:
            options.denyActions && permission.name === 'agents.workspace.action'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await startTestBackend({
      features: [
        agentsPlugin,
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: {
            agents: {
              workspaces: {
                root: sandbox.root,
                repositoryRoots: [sandbox.base],
              },
            },
          },
        }),
      ],
    });
    return { server, events };
  }

  const provisionBody = () => ({
    namespace: 'acme',
    action: 'provision',
    repository: 'acme/payments-api',
    repositoryPath: sandbox.repo,
    trustTier: 'trusted',
  });

  it('provisions with 201 and answers actions with { action, status }', async () => {
    const events: any[] = [];
    const { server } = await start({ events });
    const created = await request(server)
      .post(ACTION('w1'))
      .send(provisionBody());
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['action', 'status']);
    expect(created.body.action).toEqual({
      action: 'provision',
      actor: 'user:default/mock',
      time: expect.any(String),
      result: 'succeeded',
      message: expect.stringMatching(/^provisioned agents\/w1 from HEAD/),
    });
    expect(created.body.status).toMatchObject({
      state: 'active',
      git: { branch: 'agents/w1', dirty: false },
    });
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(
      'agents/w1',
    );

    const stored = await request(server).get(`${WORKSPACES}/w1`);
    expect(stored.body.spec.path).toBe(worktree);

    const pinned = await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'pin' });
    expect(pinned.status).toBe(200);
    expect(pinned.body.action).toMatchObject({
      action: 'pin',
      result: 'succeeded',
    });
    expect(pinned.body.status.lastAction).toEqual(pinned.body.action);
    expect(events).toContainEqual({
      eventId: 'workspace-action',
      meta: {
        action: 'pin',
        kind: 'AgentWorkspace',
        namespace: 'acme',
        name: 'w1',
      },
      outcome: 'success',
    });
  });

  it.each([
    [{ action: 'pin' }, 'namespace: is required'],
    [{ namespace: 'acme' }, 'action: is required'],
    [
      { namespace: 'acme', action: 'explode' },
      "action: unknown action 'explode'; one of provision, link-existing, pin, unpin, archive, cleanup, recover, notes-save, rebase-start, rebase-auto-resolve, rebase-open-in-editor, rebase-mark-resolved, rebase-abort, surface-register, surface-remove",
    ],
    [{ namespace: 'acme', action: 'provision' }, 'repository: is required'],
    [
      { namespace: 'acme', action: 'provision', repository: 'acme/x' },
      'repositoryPath: is required',
    ],
    [
      {
        namespace: 'acme',
        action: 'provision',
        repository: 'acme/x',
        repositoryPath: 'relative/path',
      },
      'repositoryPath: must be an absolute path',
    ],
    [
      {
        namespace: 'acme',
        action: 'provision',
        repository: 'acme/x',
        ownership: 'issue',
      },
      'ownership: must be an object',
    ],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const { server } = await start();
    const response = await request(server).post(ACTION('w1')).send(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toBe(message);
  });

  it('answers 400 for a bad action parameter, 404 for an unknown workspace', async () => {
    const { server } = await start();
    await request(server).post(ACTION('w1')).send(provisionBody());
    const bad = await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'cleanup', reviewed: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('reviewed: must be true or false');
    const missing = await request(server)
      .post(ACTION('nope'))
      .send({ namespace: 'acme', action: 'pin' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'AgentWorkspace acme/nope not found',
    );
  });

  it('answers 403 without agents.workspace.action', async () => {
    const { server } = await start({ denyActions: true });
    const response = await request(server)
      .post(ACTION('w1'))
      .send(provisionBody());
    expect(response.status).toBe(403);
    expect(response.body.error.message).toBe(
      'agents.workspace.action is not allowed on AgentWorkspace acme/w1',
    );
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'w1'))).toBe(false);
  });

  it('answers 409 naming the state, and 403 naming the policy, and audits the violation', async () => {
    const events: any[] = [];
    const { server } = await start({ events });
    await request(server).post(ACTION('w1')).send(provisionBody());
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    fs.writeFileSync(path.join(worktree, 'wip.txt'), 'unsaved');
    const dirty = await request(server)
      .post(ACTION('w1'))
      .send({ namespace: 'acme', action: 'cleanup' });
    expect(dirty.status).toBe(409);
    expect(dirty.body.error.message).toMatch(
      /^cleanup: the workspace has 1 uncommitted change\(s\)/,
    );

    const outside = path.join(sandbox.base, 'outside');
    git(sandbox.repo, 'worktree', 'add', '-q', '-b', 'outside', outside);
    const linked = await request(server).post(ACTION('w2')).send({
      namespace: 'acme',
      action: 'link-existing',
      repository: 'acme/payments-api',
      path: outside,
    });
    expect(linked.status).toBe(403);
    expect(linked.body.error.message).toMatch(
      /^link-existing refused by the workspace root policy/,
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        eventId: 'workspace-policy-violation',
        outcome: 'fail',
        error: expect.stringContaining('is outside the workspace root'),
      }),
    );
    expect(fs.existsSync(outside)).toBe(true);
  });
});
