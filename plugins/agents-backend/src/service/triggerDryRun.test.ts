import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  DEDUPE_KEY_HASH_LABEL,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { dedupeKeyHash } from '../triggers/TriggerEvaluator';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DRY_RUN = '/api/agents/rules/checkout-agent-ready/dry-run?namespace=acme';
const EXECUTIONS =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerexecutions';

const RESOURCES = `
apiVersion: agents.krate.dev/v1alpha1
kind: AgentStack
metadata: { name: scripted-demo, namespace: acme }
spec:
  runtime: scripted
  systemPrompt: You fix the issue you are given.
  approvalMode: policy
  writeBackPolicy: { mode: pull-request, requireApproval: true }
  script: { steps: [{ say: Looking at the issue. }] }
---
apiVersion: agents.krate.dev/v1alpha1
kind: AgentContextLabel
metadata: { name: acme-conventions, namespace: acme }
spec: { prompt: Money is integer minor units. }
---
apiVersion: agents.krate.dev/v1alpha1
kind: AgentTriggerRule
metadata: { name: checkout-agent-ready, namespace: acme }
spec:
  lifecycle: draft
  source: { events: [label], repositories: [acme/checkout-web] }
  matchers:
    - { field: label.name, operator: equals, values: ['agent:ready'] }
    - { field: issue.state, operator: equals, values: [open] }
  stack: scripted-demo
  promptTemplate: "Fix issue #{{event.issue.number}}: {{event.issue.title}}"
  contextLabels: [acme-conventions]
  dedupeKeyTemplate: '{{repository}}#{{event.issue.number}}'
  concurrency: { policy: coalesce }
`;

const sample = (label = 'agent:ready', issue: object = {}) => ({
  source: 'label',
  repository: 'acme/checkout-web',
  event: {
    action: 'labeled',
    label: { name: label },
    issue: {
      number: 42,
      title: 'Checkout total is off by a cent',
      state: 'open',
      html_url: 'https://git.example/acme/checkout-web/issues/42',
      ...issue,
    },
  },
});

describe.each(databases.eachSupportedId())(
  'POST /rules/:rule/dry-run on %p',
  databaseId => {
    /** Permission names the policy denies. */
    let denied: string[] = [];

    async function start() {
      denied = [];
      const { db, store } = await createTestStore(databases, databaseId);
      const permissions = permissionsDenying(name => denied.includes(name));
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          permissions.factory,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: { agents: { permissions: { decisionCacheSeconds: 0 } } },
          }),
        ],
      });
      const applied = await request(server)
        .post('/api/agents/apply')
        .set('content-type', 'application/yaml')
        .send(RESOURCES);
      expect(applied.status).toBe(200);
      return { server, store };
    }

    async function executions(server: any) {
      const list = await request(server).get(
        `${EXECUTIONS}?labelSelector=${TRIGGER_RULE_LABEL}%3Dcheckout-agent-ready`,
      );
      return list.body.items;
    }

    it('shows what a matching delivery would do — conditions, dedupe key, run, context, policy — and records it without dispatching', async () => {
      const { server } = await start();
      const response = await request(server).post(DRY_RUN).send(sample());

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        lifecycle: 'draft',
        lifecycleDispatches: false,
        matched: true,
        outcome: 'dispatched',
        dedupeKey: 'acme/checkout-web#42',
        activeRuns: [],
        missingFields: [],
        policyPreview: {
          approvalMode: 'policy',
          writeBackMode: 'pull-request',
          requiresApproval: false,
        },
        run: {
          namespace: 'acme',
          stack: 'scripted-demo',
          prompt: 'Fix issue #42: Checkout total is off by a cent',
          repository: 'acme/checkout-web',
          contextLabels: ['acme-conventions'],
          source: {
            kind: 'issue',
            name: '42',
            url: 'https://git.example/acme/checkout-web/issues/42',
          },
        },
      });
      expect(
        response.body.conditions.map((c: any) => [c.path, c.matched, c.actual]),
      ).toEqual([
        ['spec.source.events', true, 'label'],
        ['spec.source.repositories', true, 'acme/checkout-web'],
        ['spec.matchers[0]', true, 'agent:ready'],
        ['spec.matchers[1]', true, 'open'],
      ]);
      const parts = response.body.context.parts.map((p: any) => [
        p.kind,
        p.content,
      ]);
      expect(parts).toEqual(
        expect.arrayContaining([
          ['system-prompt', 'You fix the issue you are given.'],
          [
            'context-label',
            expect.stringContaining('Money is integer minor units.'),
          ],
          ['prompt', 'Fix issue #42: Checkout total is off by a cent'],
        ]),
      );
      expect(response.body.context.digest).toMatch(/^sha256:/);

      const recorded = await executions(server);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        metadata: {
          name: response.body.execution.metadata.name,
          labels: { [TRIGGER_RULE_LABEL]: 'checkout-agent-ready' },
        },
        spec: {
          rule: 'checkout-agent-ready',
          ruleGeneration: 1,
          source: 'label',
          repository: 'acme/checkout-web',
          dryRun: true,
          sampleEvent: sample().event,
        },
        status: {
          matched: true,
          outcome: 'dispatched',
          dedupeKey: 'acme/checkout-web#42',
        },
      });
      const trail = await request(server).get(
        `/api/agents/audit?kind=AgentTriggerExecution&namespace=acme&name=${recorded[0].metadata.name}`,
      );
      expect(trail.body.items).toEqual([
        expect.objectContaining({
          action: 'create',
          actor: 'user:default/mock',
        }),
      ]);
      const runs = await request(server).get('/api/agents/runs?namespace=acme');
      expect(runs.body.items).toEqual([]);
      const rule = await request(server).get(
        '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerrules/checkout-agent-ready',
      );
      expect(rule.body.status?.counts).toBeUndefined();
    });

    it('says which condition failed and which template fields the sample lacks', async () => {
      const { server } = await start();
      const response = await request(server)
        .post(DRY_RUN)
        .send(sample('bug', { title: undefined }));

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        matched: false,
        outcome: 'not-matched',
        reason:
          'spec.matchers[0] (label.name equals \'agent:ready\'): label.name is "bug"',
        missingFields: ['event.issue.title'],
      });
      expect(response.body.run).toBeUndefined();
      expect(response.body.context).toBeUndefined();
      expect((await executions(server))[0].status).toEqual({
        matched: false,
        outcome: 'not-matched',
        dedupeKey: 'acme/checkout-web#42',
      });
    });

    it('coalesces into an active run of the rule with the same dedupe key, and forbid rejects', async () => {
      const { server, store } = await start();
      await store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentDispatchRun',
          metadata: {
            name: 'scripted-demo-active01',
            namespace: 'acme',
            labels: {
              [TRIGGER_RULE_LABEL]: 'checkout-agent-ready',
              [DEDUPE_KEY_HASH_LABEL]: dedupeKeyHash('acme/checkout-web#42'),
            },
          },
          spec: { stack: 'scripted-demo', prompt: 'Fix issue #42' },
          status: { phase: 'Running' },
        },
        { actor: 'agents:trigger-controller' },
      );

      const coalesced = await request(server).post(DRY_RUN).send(sample());
      expect(coalesced.body).toMatchObject({
        outcome: 'coalesced',
        joins: 'scripted-demo-active01',
        activeRuns: ['scripted-demo-active01'],
      });
      const other = await request(server)
        .post(DRY_RUN)
        .send(sample('agent:ready', { number: 43 }));
      expect(other.body.outcome).toBe('dispatched');

      const patched = await request(server)
        .patch(
          '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerrules/checkout-agent-ready',
        )
        .set('content-type', 'application/merge-patch+json')
        .send({ spec: { concurrency: { policy: 'forbid' } } });
      expect(patched.status).toBe(200);
      const forbidden = await request(server).post(DRY_RUN).send(sample());
      expect(forbidden.body).toMatchObject({
        outcome: 'rejected',
        reason:
          'run scripted-demo-active01 with dedupe key acme/checkout-web#42 is still active (concurrency forbid)',
      });

      const recorded = await executions(server);
      const byOutcome = Object.fromEntries(
        recorded.map((e: any) => [e.status.outcome, e.status]),
      );
      expect(byOutcome.coalesced.run).toBe('scripted-demo-active01');
      expect(byOutcome.rejected.rejectionReason).toBe(forbidden.body.reason);
      expect(
        recorded.find((e: any) => e.spec.ruleGeneration === 2),
      ).toBeDefined();
    });

    it('rejects a match whose stack is missing, says one that needs approval would wait for it, and shows no context to a caller who may not dispatch', async () => {
      const { server } = await start();
      denied = ['agents.run.create'];
      const hidden = await request(server).post(DRY_RUN).send(sample());
      expect(hidden.status).toBe(201);
      expect(hidden.body.context).toBeUndefined();
      expect(hidden.body.contextError).toBe(
        'agents.run.create is not allowed in acme, so the context the run would get is not shown',
      );

      denied = [];
      await request(server)
        .patch(
          '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agenttriggerrules/checkout-agent-ready',
        )
        .set('content-type', 'application/merge-patch+json')
        .send({ spec: { requireApproval: true } });
      const gated = await request(server).post(DRY_RUN).send(sample());
      expect(gated.body).toMatchObject({
        outcome: 'awaiting-approval',
        reason:
          'the run would wait, before its first attempt, for an AgentApproval (spec.requireApproval)',
        run: { stack: 'scripted-demo' },
        policyPreview: { requiresApproval: true },
      });

      await request(server).delete(
        '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks/scripted-demo',
      );
      const missing = await request(server).post(DRY_RUN).send(sample());
      expect(missing.body).toMatchObject({
        matched: true,
        outcome: 'rejected',
        reason: 'stack: AgentStack acme/scripted-demo not found',
        contextError: 'stack: AgentStack acme/scripted-demo does not exist',
        policyPreview: { requiresApproval: true },
      });
    });

    it('answers bad input with a 4xx naming the field and records nothing', async () => {
      const { server } = await start();
      const post = (path: string, body: unknown) =>
        request(server)
          .post(path)
          .send(body as object);
      const answers = [
        await post('/api/agents/rules/checkout-agent-ready/dry-run', sample()),
        await post('/api/agents/rules/nope/dry-run?namespace=acme', sample()),
        await post(DRY_RUN, { ...sample(), source: 'tweet' }),
        await post(DRY_RUN, { ...sample(), event: [1] }),
        await post(DRY_RUN, { ...sample(), repository: 'globex/web' }),
        await post(DRY_RUN, { ...sample(), repository: 'no-slash' }),
        await post(DRY_RUN, { ...sample(), extra: 1 }),
        await post(DRY_RUN, {
          ...sample(),
          event: { blob: 'x'.repeat(70 * 1024) },
        }),
      ];
      expect(
        answers.map(({ status, body }) => [status, body.error.message]),
      ).toEqual([
        [400, 'namespace: is required (?namespace=<org>)'],
        [404, expect.stringContaining('nope')],
        [
          400,
          'source: must be one of issue, pull-request, comment, label, push, tag, check, schedule, webhook',
        ],
        [400, 'event: must be a JSON object'],
        [400, 'repository: globex/web is not a repository of org acme'],
        [400, 'repository: must be <org>/<repository>'],
        [400, 'extra: unknown field'],
        [400, 'event: must be at most 65536 bytes as JSON'],
      ]);

      denied = ['agents.trigger-execution.create'];
      const refused = await post(DRY_RUN, sample());
      expect(refused.status).toBe(403);
      expect(await executions(server)).toEqual([]);
    });
  },
);
