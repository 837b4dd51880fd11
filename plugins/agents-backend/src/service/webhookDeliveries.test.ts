import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { TRIGGER_RULE_LABEL } from '@krate/plugin-agents-common';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  dispatchConfig,
  gatedShellProfile,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { commit, git } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';
const USER = mockCredentials.user.header();

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

/** An `issues` delivery as GitHub sends it when a label is added to an issue. */
const labelled = (number: number, label = 'agent:ready') => ({
  action: 'labeled',
  label: { name: label, color: 'ededed' },
  issue: {
    number,
    // A NUL a forge may well send: PostgreSQL text cannot hold it, so prompts drop it.
    title: `Checkout total is off (${number})\u0000`,
    body: 'Rounding drops a cent.',
    state: 'open',
    html_url: `https://github.com/acme/checkout-web/issues/${number}`,
  },
  repository: { full_name: 'Acme/checkout-web', private: true },
  sender: { login: 'octocat' },
});

describe.each(databases.eachSupportedId())(
  'webhook deliveries on %p',
  databaseId => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-webhooks-'));
      const clone = path.join(dataDir, 'repositories', 'acme', 'checkout-web');
      mkdirSync(clone, { recursive: true });
      git(clone, 'init', '-q', '-b', 'main');
      commit(clone, 'src/total.js', 'exports.total = x => x;\n');
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    /** `anonymous`: callers without credentials are refused, as from outside Backstage. */
    async function backend(options: { anonymous?: boolean } = {}) {
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          ...(options.anonymous
            ? [
                mockServices.httpAuth.factory({
                  defaultCredentials: mockCredentials.none(),
                }),
              ]
            : []),
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
      const signedIn = {
        post: (url: string) =>
          request(server).post(url).set('authorization', USER),
        get: (url: string) =>
          request(server).get(url).set('authorization', USER),
      };
      for (const item of [
        gatedShellProfile,
        object('AgentStack', 'fixer', {
          runtime: 'scripted',
          toolProfile: 'gated',
          script: { steps: [{ say: 'on it' }, { shell: 'npm test' }] },
        }),
        object('AgentTriggerRule', 'checkout-agent-ready', {
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
          promptTemplate:
            'Fix issue #{{event.issue.number}}: {{event.issue.title}}',
          dedupeKeyTemplate: '{{repository}}#{{event.issue.number}}',
          concurrency: { policy: 'coalesce', maxConcurrentRuns: 1 },
        }),
        object('AgentTriggerRule', 'other-repository', {
          lifecycle: 'active',
          source: { events: ['label'], repositories: ['acme/payments-api'] },
          stack: 'fixer',
        }),
        object('AgentTriggerRule', 'still-a-draft', {
          lifecycle: 'draft',
          source: { events: ['label'] },
          stack: 'fixer',
        }),
      ]) {
        const response = await signedIn.post('/api/agents/apply').send(item);
        expect(response.status).toBe(200);
      }
      /** The executions a delivery made, once it is processed. */
      const executionsAfter = async (answer: request.Response) =>
        executionsOf(
          signedIn,
          await processed(signedIn, answer.body.metadata.name),
        );
      return { server, signedIn, executionsAfter, knex: db.knex };
    }

    /** Sends a delivery the way GitHub does: raw JSON body, HMAC-SHA256 of it, event headers. */
    function deliver(
      server: any,
      event: string,
      payload: object | string | Buffer,
      options: { id?: string; secret?: string } = {},
    ) {
      const body =
        typeof payload === 'string' || Buffer.isBuffer(payload)
          ? payload
          : JSON.stringify(payload);
      const signature = createHmac('sha256', options.secret ?? SECRET)
        .update(body)
        .digest('hex');
      return (
        request(server)
          .post('/api/agents/webhooks/github')
          // Raw bytes as such: superagent would serialize a Buffer sent as JSON.
          .set(
            'content-type',
            Buffer.isBuffer(body)
              ? 'application/octet-stream'
              : 'application/json',
          )
          .set('x-github-event', event)
          .set('x-github-delivery', options.id ?? randomUUID())
          .set('x-hub-signature-256', `sha256=${signature}`)
          .set('user-agent', 'GitHub-Hookshot/0c1f2e3')
          .send(body)
      );
    }

    async function processed(signedIn: any, name: string) {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { body } = await signedIn.get(`${API}/webhookdeliveries/${name}`);
        if (body.status?.state !== 'received') return body;
        await new Promise(resolve => setTimeout(resolve, 25));
      }
      throw new Error(`delivery ${name} was not processed`);
    }

    async function executionsOf(signedIn: any, delivery: any) {
      return Promise.all(
        (delivery.status.executions ?? []).map(
          async (name: string) =>
            (await signedIn.get(`${API}/agenttriggerexecutions/${name}`)).body,
        ),
      );
    }

    it('dispatches a run for a signed delivery a rule matches, coalesces the next one for the same issue, counts both on the rule, and under replace cancels it for a new one', async () => {
      const { server, signedIn, executionsAfter } = await backend();

      const first = await deliver(server, 'issues', labelled(42));
      expect(first.status).toBe(202);
      expect(first.body.spec).toMatchObject({
        source: 'github',
        eventType: 'issues.labeled',
        repository: 'acme/checkout-web',
        signatureVerified: true,
        payloadDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      });
      const done = await processed(signedIn, first.body.metadata.name);
      expect(done.status.state).toBe('processed');
      const [execution] = await executionsOf(signedIn, done);
      expect(done.status.executions).toHaveLength(1);
      expect(execution).toMatchObject({
        metadata: { labels: { [TRIGGER_RULE_LABEL]: 'checkout-agent-ready' } },
        spec: {
          rule: 'checkout-agent-ready',
          source: 'label',
          delivery: first.body.metadata.name,
          repository: 'acme/checkout-web',
        },
        status: {
          matched: true,
          outcome: 'dispatched',
          dedupeKey: 'acme/checkout-web#42',
          run: expect.any(String),
        },
      });
      expect(execution.spec.dryRun).toBeUndefined();

      const run = await waitForRun(
        server,
        execution.status.run,
        r => r.status?.phase === 'Waiting',
      );
      expect(run.spec).toMatchObject({
        stack: 'fixer',
        prompt: 'Fix issue #42: Checkout total is off (42)',
        repository: 'acme/checkout-web',
        source: {
          kind: 'issue',
          name: '42',
          url: 'https://github.com/acme/checkout-web/issues/42',
        },
        requestedBy: 'agents:trigger-controller',
      });
      expect(run.metadata.labels[TRIGGER_RULE_LABEL]).toBe(
        'checkout-agent-ready',
      );

      const [joined] = await executionsAfter(
        await deliver(server, 'issues', labelled(42)),
      );
      expect(joined.status).toMatchObject({
        outcome: 'coalesced',
        run: run.metadata.name,
      });

      const [refused] = await executionsAfter(
        await deliver(server, 'issues', labelled(43)),
      );
      expect(refused.status).toMatchObject({
        outcome: 'rejected',
        rejectionReason: `maxConcurrentRuns 1 reached: ${run.metadata.name} is active`,
      });

      const rule = await signedIn.get(
        `${API}/agenttriggerrules/checkout-agent-ready`,
      );
      expect(rule.body.status).toMatchObject({
        counts: { dispatched: 1, coalesced: 1, rejected: 1 },
        lastExecution: {
          outcome: 'rejected',
          execution: refused.metadata.name,
        },
      });
      const runs = await signedIn.get('/api/agents/runs?namespace=acme');
      expect(runs.body.items.map((r: any) => r.metadata.name)).toEqual([
        run.metadata.name,
      ]);

      // Under replace, the same issue cancels the waiting run and starts a new one.
      const patched = await request(server)
        .patch(`${API}/agenttriggerrules/checkout-agent-ready`)
        .set('content-type', 'application/merge-patch+json')
        .send({ spec: { concurrency: { policy: 'replace' } } });
      expect(patched.status).toBe(200);
      const [replaced] = await executionsAfter(
        await deliver(server, 'issues', labelled(42)),
      );
      expect(replaced.status).toMatchObject({ outcome: 'dispatched' });
      expect(replaced.status.run).not.toBe(run.metadata.name);
      await waitForRun(
        server,
        run.metadata.name,
        r => r.status?.phase === 'Cancelled',
      );
    });

    it('replays a delivery from its kept payload as a new one that points at it, until the payload is pruned', async () => {
      const { server, executionsAfter, knex } = await backend();
      const first = await deliver(server, 'issues', labelled(42));
      const [dispatched] = await executionsAfter(first);
      const original = first.body.metadata.name;

      const replay = await request(server)
        .post(`/api/agents/deliveries/${original}/replay?namespace=acme`)
        .send({});
      expect(replay.status).toBe(202);
      expect(replay.body.metadata.name).not.toBe(original);
      expect(replay.body.spec).toMatchObject({
        replayOf: original,
        deliveryId: first.body.spec.deliveryId,
        eventType: 'issues.labeled',
        payloadDigest: first.body.spec.payloadDigest,
      });
      const [joined] = await executionsAfter(replay);
      expect(joined.status).toMatchObject({
        outcome: 'coalesced',
        run: dispatched.status.run,
      });

      const listed = await request(server).get(
        '/api/agents/deliveries?namespace=acme',
      );
      expect(listed.body.items.map((d: any) => d.metadata.name)).toEqual([
        replay.body.metadata.name,
        original,
      ]);

      await knex('agents_webhook_payloads').delete();
      const gone = await request(server)
        .post(`/api/agents/deliveries/${original}/replay?namespace=acme`)
        .send({});
      expect([gone.status, gone.body.error.message]).toEqual([
        409,
        `WebhookDelivery acme/${original} cannot be replayed: its payload is no longer kept`,
      ]);
      const unknown = await request(server)
        .post('/api/agents/deliveries/github-0000/replay?namespace=acme')
        .send({});
      expect(unknown.status).toBe(404);
      const noOrg = await request(server)
        .post(`/api/agents/deliveries/${original}/replay`)
        .send({});
      expect([noOrg.status, noOrg.body.error.message]).toEqual([
        400,
        'namespace: is required (?namespace=<org>)',
      ]);
    });

    it('records a delivery no rule matches, and takes a redelivery of the same id once', async () => {
      const { server, signedIn } = await backend();
      const id = randomUUID();

      const first = await deliver(server, 'issues', labelled(7, 'bug'), { id });
      const done = await processed(signedIn, first.body.metadata.name);
      const [execution] = await executionsOf(signedIn, done);
      expect(done.status.executions).toHaveLength(1);
      expect(execution.status).toEqual({
        matched: false,
        outcome: 'not-matched',
        dedupeKey: 'acme/checkout-web#7',
      });

      const redelivered = await deliver(server, 'issues', labelled(7, 'bug'), {
        id,
      });
      expect(redelivered.status).toBe(200);
      expect(redelivered.body.metadata.name).toBe(first.body.metadata.name);

      const ping = await deliver(server, 'ping', {
        zen: 'Keep it logically awesome.',
        repository: { full_name: 'acme/checkout-web' },
      });
      expect(ping.status).toBe(202);
      expect(
        (await processed(signedIn, ping.body.metadata.name)).status,
      ).toMatchObject({ state: 'processed', executions: [] });

      const rule = await signedIn.get(
        `${API}/agenttriggerrules/checkout-agent-ready`,
      );
      expect(rule.body.status.counts).toEqual({ notMatched: 1 });
    });

    it('takes signed deliveries without Backstage credentials, and refuses unsigned, wrongly signed and malformed ones without recording them', async () => {
      const { server, signedIn } = await backend({ anonymous: true });
      expect(
        (await request(server).get(`${API}/webhookdeliveries`)).status,
      ).toBe(401);
      const signed = await deliver(server, 'issues', labelled(1, 'bug'));
      expect(signed.status).toBe(202);
      await processed(signedIn, signed.body.metadata.name);

      const unsigned = await request(server)
        .post('/api/agents/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'issues')
        .set('x-github-delivery', randomUUID())
        .send(labelled(1));
      const answers = [
        unsigned,
        await deliver(server, 'issues', labelled(1), {
          secret: 'someone-elses-secret-0123',
        }),
        await deliver(server, 'issues', [1, 2]),
        await deliver(server, 'issues', { action: 'labeled' }),
        await deliver(server, 'issues', {
          repository: { full_name: 'not a slug' },
        }),
        await deliver(server, 'issues', Buffer.from([0x7b, 0xc3, 0x28, 0x7d])),
        await deliver(
          server,
          'issues',
          `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
        ),
      ];
      expect(
        answers.map(({ status, body }) => [status, body.error?.message]),
      ).toEqual([
        [
          401,
          'X-Hub-Signature-256: missing or not the HMAC-SHA256 of the body with the endpoint secret',
        ],
        [
          401,
          'X-Hub-Signature-256: missing or not the HMAC-SHA256 of the body with the endpoint secret',
        ],
        [400, 'body: must be a JSON object'],
        [400, 'repository.full_name: is required'],
        [
          400,
          'repository.full_name: must be <org>/<repository> in lower-case letters, digits, . _ and -',
        ],
        [400, 'body: is not valid UTF-8'],
        [
          400,
          `body.${Array(64).fill('a').join('.')}: nests deeper than 64 levels`,
        ],
      ]);
      const unknown = await request(server)
        .post('/api/agents/webhooks/gitlab')
        .send({});
      expect(unknown.status).toBe(404);

      const deliveries = await signedIn.get(`${API}/webhookdeliveries`);
      expect(deliveries.body.items.map((d: any) => d.metadata.name)).toEqual([
        signed.body.metadata.name,
      ]);
      const forged = await signedIn.post(`${API}/webhookdeliveries`).send(
        object('WebhookDelivery', 'forged', {
          source: 'github',
          eventType: 'issues.labeled',
          deliveryId: 'x',
          receivedTime: '2026-11-24T09:00:02Z',
          signatureVerified: true,
          payloadDigest: `sha256:${'0'.repeat(64)}`,
        }),
      );
      expect(forged.status).toBe(403);
    });
  },
);
