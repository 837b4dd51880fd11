import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  applyObjects,
  dispatchConfig,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { commit, git } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { WorkItemSessionLinks } from './WorkItemSessionLinks';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';
const WORK_ITEM = 'checkout-web-issue-42';

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

/** GitHub's `issues` delivery when a label is added. */
const labelled = (labels: string[], updated: string) => ({
  action: 'labeled',
  label: { name: labels[labels.length - 1] },
  issue: {
    number: 42,
    title: 'Checkout total is off',
    state: 'open',
    labels: labels.map(name => ({ name })),
    html_url: 'https://github.com/acme/checkout-web/issues/42',
    updated_at: updated,
  },
  repository: { full_name: 'acme/checkout-web' },
});

describe.each(databases.eachSupportedId())(
  'runs from issue deliveries on %p',
  databaseId => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-work-item-runs-'));
      const clone = path.join(dataDir, 'repositories', 'acme', 'checkout-web');
      mkdirSync(clone, { recursive: true });
      git(clone, 'init', '-q', '-b', 'main');
      commit(clone, 'src/total.js', 'exports.total = x => x;\n');
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    async function backend() {
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: dispatchConfig(dataDir, {
                workspaces: {
                  root: path.join(dataDir, 'workspaces'),
                  repositoryRoots: [path.join(dataDir, 'repositories')],
                },
                webhooks: [{ name: 'github', secret: SECRET }],
              }),
            },
          }),
        ],
      });
      await applyObjects(
        server,
        object('AgentStack', 'fixer', {
          runtime: 'scripted',
          script: { steps: [{ say: 'on it' }] },
        }),
        object('AgentWorkspacePolicy', 'default', {
          provisioning: { mode: 'reuse', root: '.' },
        }),
        object('AgentTriggerRule', 'agent-ready', {
          lifecycle: 'active',
          source: { events: ['label'], repositories: ['acme/checkout-web'] },
          matchers: [
            {
              field: 'label.name',
              operator: 'equals',
              values: ['agent:ready'],
            },
          ],
          stack: 'fixer',
          promptTemplate: 'Fix issue #{{event.issue.number}}',
        }),
      );
      return server;
    }

    function deliver(server: any, event: string, payload: object) {
      const body = JSON.stringify(payload);
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      return request(server)
        .post('/api/agents/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', event)
        .set('x-github-delivery', randomUUID())
        .set('x-hub-signature-256', `sha256=${signature}`)
        .send(body);
    }

    async function processed(server: any, name: string) {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { body } = await request(server).get(
          `${API}/webhookdeliveries/${name}`,
        );
        if (body.status?.state !== 'received') return body;
        await new Promise(resolve => setTimeout(resolve, 25));
      }
      throw new Error(`delivery ${name} was not processed`);
    }

    const listed = async (server: any, plural: string, selector: string) =>
      (
        await request(server).get(
          `${API}/${plural}?labelSelector=${encodeURIComponent(selector)}`,
        )
      ).body.items;

    it('records the issue as a WorkItem, names it on the run a rule dispatches, and links the run’s workspace and session to it', async () => {
      const server = await backend();
      const sent = await deliver(
        server,
        'issues',
        labelled(['bug', 'agent:ready'], '2026-12-07T10:00:00Z'),
      );
      expect(sent.status).toBe(202);
      const delivery = await processed(server, sent.body.metadata.name);
      expect(delivery.status.state).toBe('processed');

      const item = await request(server).get(`${API}/workitems/${WORK_ITEM}`);
      expect(item.status).toBe(200);
      expect(item.body.spec).toMatchObject({
        repository: 'acme/checkout-web',
        kind: 'issue',
        number: 42,
        state: 'open',
        labels: ['bug', 'agent:ready'],
      });

      const execution = (
        await request(server).get(
          `${API}/agenttriggerexecutions/${delivery.status.executions[0]}`,
        )
      ).body;
      expect(execution.status.outcome).toBe('dispatched');
      const run = await waitForRun(
        server,
        execution.status.run,
        r => r.status?.phase === 'Succeeded',
      );
      expect(run.metadata.labels['agents.krate.dev/work-item']).toBe(WORK_ITEM);
      expect(run.spec).toMatchObject({
        repository: 'acme/checkout-web',
        source: { kind: 'issue', name: '42' },
        workspace: expect.any(String),
      });

      const workspaceLinks = await listed(
        server,
        'workitemworkspacelinks',
        `agents.krate.dev/work-item=${WORK_ITEM}`,
      );
      expect(workspaceLinks.map((link: any) => link.spec)).toEqual([
        {
          workItem: WORK_ITEM,
          workspace: run.spec.workspace,
          relation: 'owns',
          repository: 'acme/checkout-web',
        },
      ]);
      const sessionLinks = await listed(
        server,
        'workitemsessionlinks',
        `agents.krate.dev/work-item=${WORK_ITEM}`,
      );
      const session = `${run.metadata.name}-1-session`;
      expect(
        sessionLinks.map((link: any) => [link.spec, link.metadata.labels]),
      ).toEqual([
        [
          { workItem: WORK_ITEM, session, repository: 'acme/checkout-web' },
          {
            'agents.krate.dev/work-item': WORK_ITEM,
            'agents.krate.dev/session': session,
            'agents.krate.dev/run': run.metadata.name,
          },
        ],
      ]);
      expect(
        (await request(server).get(`${API}/agentsessions/${session}`)).status,
      ).toBe(200);

      // The issue is closed: the same record shows it, and the rule ignores the delivery.
      const closing = await deliver(server, 'issues', {
        ...labelled(['bug'], '2026-12-07T10:30:00Z'),
        action: 'closed',
        issue: {
          ...labelled(['bug'], '2026-12-07T10:30:00Z').issue,
          state: 'closed',
        },
      });
      await processed(server, closing.body.metadata.name);
      const items = (await request(server).get(`${API}/workitems`)).body.items;
      expect(
        items.map((i: any) => [i.metadata.name, i.spec.state, i.spec.labels]),
      ).toEqual([[WORK_ITEM, 'closed', ['bug']]]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'WorkItemSessionLinks on %p',
  databaseId => {
    it('makes one link per work item and session, however often and concurrently it is asked', async () => {
      const { store } = await createTestStore(databases, databaseId);
      const links = new WorkItemSessionLinks(store);
      const ask = () =>
        links.link({
          namespace: 'acme',
          workItem: WORK_ITEM,
          session: 'fixer-abc-1-session',
          run: 'fixer-abc',
          repository: 'acme/checkout-web',
          actor: 'agents:dispatcher',
        });
      const answers = await Promise.all([ask(), ask(), ask()]);
      await ask();
      expect(new Set(answers.map(a => a.metadata.name)).size).toBe(1);
      const { items } = await store.list('WorkItemSessionLink', {
        namespace: 'acme',
        limit: 10,
      });
      expect(items.map(i => i.spec)).toEqual([
        {
          workItem: WORK_ITEM,
          session: 'fixer-abc-1-session',
          repository: 'acme/checkout-web',
        },
      ]);
    });
  },
);
