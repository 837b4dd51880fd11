import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { commit, git } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';
const ISSUE_URL = 'https://github.com/acme/payments-api/issues/42';

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const workItem = (name: string, spec: Record<string, unknown>) =>
  object('WorkItem', name, {
    repository: 'acme/payments-api',
    title: `Work item ${name}`,
    state: 'open',
    ...spec,
  });

describe.each(databases.eachSupportedId())(
  'runs from work items on %p',
  databaseId => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-work-items-'));
      const clone = path.join(dataDir, 'repositories', 'acme', 'payments-api');
      mkdirSync(clone, { recursive: true });
      git(clone, 'init', '-q', '-b', 'main');
      commit(clone, 'src/money.js', 'exports.cents = x => x * 100;\n');
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    async function backend(id: TestDatabaseId) {
      const { db } = await createTestStore(databases, id);
      const started = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: {
                dispatch: {
                  runsRoot: path.join(dataDir, 'runs'),
                  pollIntervalMs: 50,
                  leaseDurationSeconds: 1,
                },
                workspaces: {
                  root: path.join(dataDir, 'workspaces'),
                  repositoryRoots: [path.join(dataDir, 'repositories')],
                },
              },
            },
          }),
        ],
      });
      const server = started.server;
      await send(
        server,
        'post',
        '/api/agents/apply',
        object('AgentStack', 'fixer', {
          runtime: 'scripted',
          systemPrompt: 'You are careful.',
          script: { steps: [{ say: 'on it' }] },
        }),
        200,
      );
      await send(
        server,
        'post',
        '/api/agents/apply',
        object('AgentContextLabel', 'payments', {
          prompt: 'Money is in cents.',
        }),
        200,
      );
      await send(
        server,
        'post',
        '/api/agents/apply',
        object('AgentWorkspacePolicy', 'default', {
          provisioning: { mode: 'reuse', root: '.' },
        }),
        200,
      );
      return server;
    }

    async function send(
      server: any,
      method: 'post' | 'get',
      url: string,
      body: object | undefined,
      status: number,
    ) {
      const response = await request(server)[method](url).send(body);
      expect({ url, status: response.status, body: response.body }).toEqual({
        url,
        status,
        body: expect.anything(),
      });
      return response.body;
    }

    const dispatch = (server: any, body: object) =>
      request(server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'fixer', prompt: 'Fix it', ...body });

    async function finish(server: any, run: string) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const { body } = await request(server).get(`/api/agents/runs/${run}`);
        if (['Succeeded', 'Failed', 'Cancelled'].includes(body.status?.phase)) {
          return body;
        }
        if (Date.now() > deadline) {
          throw new Error(`run ${run} is ${JSON.stringify(body.status)}`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    }

    const linksOf = async (server: any, label: string) =>
      (
        await send(
          server,
          'get',
          `${API}/workitemworkspacelinks?labelSelector=${encodeURIComponent(
            label,
          )}`,
          undefined,
          200,
        )
      ).items.map((link: any) => ({
        workItem: link.spec.workItem,
        workspace: link.spec.workspace,
        relation: link.spec.relation,
        labels: link.metadata.labels,
      }));

    const workspaceOf = (server: any, name: string) =>
      send(server, 'get', `${API}/agentworkspaces/${name}`, undefined, 200);

    it('gives a run the source, repository and context labels of its work item, and links the workspace it owns or references', async () => {
      const server = await backend(databaseId);
      await send(
        server,
        'post',
        `${API}/workitems`,
        workItem('payments-42', {
          kind: 'issue',
          number: 42,
          url: ISSUE_URL,
          contextLabels: ['payments'],
        }),
        201,
      );
      await send(
        server,
        'post',
        `${API}/workitems`,
        workItem('payments-43', { kind: 'issue', number: 43 }),
        201,
      );

      const first = await dispatch(server, { workItem: 'payments-42' });
      expect(first.status).toBe(201);
      const run = first.body;
      expect(run.metadata.labels['agents.krate.dev/work-item']).toBe(
        'payments-42',
      );
      expect(run.spec).toMatchObject({
        repository: 'acme/payments-api',
        contextLabels: ['payments'],
        source: { kind: 'issue', name: '42', url: ISSUE_URL },
        workspace: run.metadata.name,
      });
      const owned = run.metadata.name;
      expect(
        await linksOf(server, `agents.krate.dev/workspace=${owned}`),
      ).toEqual([
        {
          workItem: 'payments-42',
          workspace: owned,
          relation: 'owns',
          labels: {
            'agents.krate.dev/workspace': owned,
            'agents.krate.dev/work-item': 'payments-42',
          },
        },
      ]);
      expect((await workspaceOf(server, owned)).status.workItems).toEqual([
        'payments-42',
      ]);
      expect((await finish(server, owned)).status.phase).toBe('Succeeded');

      // The reuse policy hands the idle workspace to the next runs: the owner's link stays one
      // `owns` link, another work item references it.
      const again = await dispatch(server, {
        workItem: 'payments-42',
        repository: 'acme/payments-api',
      });
      expect(again.status).toBe(201);
      expect(again.body.spec.workspace).toBe(owned);
      await finish(server, again.body.metadata.name);
      const other = await dispatch(server, { workItem: 'payments-43' });
      expect(other.body.spec.workspace).toBe(owned);
      await finish(server, other.body.metadata.name);
      const named = await dispatch(server, {
        workItem: 'payments-43',
        workspace: owned,
      });
      expect(named.status).toBe(201);
      expect(named.body.spec).toMatchObject({
        workspace: owned,
        source: { kind: 'issue', name: '43' },
      });

      expect(
        (await linksOf(server, `agents.krate.dev/workspace=${owned}`))
          .map((l: any) => [l.workItem, l.relation])
          .sort(),
      ).toEqual([
        ['payments-42', 'owns'],
        ['payments-43', 'references'],
      ]);
      expect(
        await linksOf(server, 'agents.krate.dev/work-item=payments-43'),
      ).toEqual([expect.objectContaining({ workspace: owned })]);
      expect((await workspaceOf(server, owned)).status.workItems).toEqual([
        'payments-42',
        'payments-43',
      ]);
    });

    it('works on the pull request head; a fork gets an isolated forked workspace, never a trusted one', async () => {
      const clone = path.join(dataDir, 'repositories', 'acme', 'payments-api');
      // The same-repository pull request's branch, and the head ref the forge publishes for the
      // fork's pull request.
      git(clone, 'checkout', '-q', '-b', 'fix-rounding');
      commit(
        clone,
        'src/money.js',
        'exports.cents = x => Math.round(x * 100);\n',
      );
      const branchHead = git(clone, 'rev-parse', 'HEAD').trim();
      git(clone, 'checkout', '-q', 'main');
      git(clone, 'checkout', '-q', '--detach');
      commit(clone, 'src/money.js', 'exports.cents = () => 0;\n');
      const forkHead = git(clone, 'rev-parse', 'HEAD').trim();
      git(clone, 'update-ref', 'refs/pull/7/head', forkHead);
      git(clone, 'checkout', '-q', 'main');
      const server = await backend(databaseId);
      await send(
        server,
        'post',
        `${API}/workitems`,
        workItem('same-repo-pr', {
          kind: 'pull-request',
          number: 6,
          head: { repository: 'acme/payments-api', ref: 'fix-rounding' },
        }),
        201,
      );
      await send(
        server,
        'post',
        `${API}/workitems`,
        workItem('forked-pr', {
          kind: 'pull-request',
          number: 7,
          url: 'https://github.com/acme/payments-api/pull/7',
          head: { repository: 'mallory/payments-api', ref: 'main' },
        }),
        201,
      );
      const trusted = (await dispatch(server, { workItem: 'same-repo-pr' }))
        .body;
      expect(trusted.spec.source).toEqual({
        kind: 'pull-request',
        name: '6',
      });
      expect(trusted.spec.ref).toBe('fix-rounding');
      const shared = trusted.metadata.name;
      const sharedWorkspace = await workspaceOf(server, shared);
      expect(sharedWorkspace.spec.trustTier).toBe('trusted');
      expect(sharedWorkspace.spec.sha).toBe(branchHead);
      await finish(server, shared);

      const forked = await dispatch(server, { workItem: 'forked-pr' });
      expect(forked.status).toBe(201);
      expect(forked.body.spec.ref).toBe('refs/pull/7/head');
      const isolated = forked.body.spec.workspace;
      expect(isolated).toBe(forked.body.metadata.name);
      expect(isolated).not.toBe(shared);
      const isolatedWorkspace = await workspaceOf(server, isolated);
      expect(isolatedWorkspace.spec.trustTier).toBe('forked');
      expect(isolatedWorkspace.spec.sha).toBe(forkHead);
      expect(
        await linksOf(server, 'agents.krate.dev/work-item=forked-pr'),
      ).toEqual([
        expect.objectContaining({ workspace: isolated, relation: 'owns' }),
      ]);

      const named = await dispatch(server, {
        workItem: 'forked-pr',
        workspace: shared,
      });
      expect(named.status).toBe(400);
      expect(named.body.error.message).toMatch(
        new RegExp(`^workspace: AgentWorkspace acme/${shared} is trusted;`),
      );
      expect(
        await linksOf(server, `agents.krate.dev/workspace=${shared}`),
      ).toEqual([expect.objectContaining({ workItem: 'same-repo-pr' })]);
    });

    it('refuses a missing work item or another repository naming the field, and creates nothing', async () => {
      const server = await backend(databaseId);
      await send(
        server,
        'post',
        `${API}/workitems`,
        workItem('payments-42', {
          kind: 'issue',
          number: 42,
          contextLabels: ['gone'],
        }),
        201,
      );
      const cases: [object, string][] = [
        [{ workItem: 'nope' }, 'workItem: WorkItem acme/nope does not exist'],
        [
          { workItem: 'Not A Name' },
          'workItem: must be a lower-case DNS label',
        ],
        [
          { workItem: 'payments-42', repository: 'acme/other' },
          'repository: acme/other is not the repository of WorkItem acme/payments-42',
        ],
        [
          { workItem: 'payments-42' },
          'contextLabels[0]: AgentContextLabel acme/gone does not exist',
        ],
      ];
      for (const [body, message] of cases) {
        const response = await dispatch(server, body);
        expect({
          status: response.status,
          message: response.body.error?.message,
        }).toEqual({
          status: 400,
          message: expect.stringContaining(message),
        });
      }
      const runs = await request(server).get('/api/agents/runs?namespace=acme');
      expect(runs.body.items).toEqual([]);
      expect(
        await linksOf(server, 'agents.krate.dev/work-item=payments-42'),
      ).toEqual([]);
      expect(
        git(
          path.join(dataDir, 'repositories', 'acme', 'payments-api'),
          'worktree',
          'list',
        ),
      ).not.toContain('workspaces');
    });
  },
);
