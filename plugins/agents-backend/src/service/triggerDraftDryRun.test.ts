import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DRY_RUN = '/api/agents/rules/dry-run?namespace=acme';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';

const STACK = `
apiVersion: agents.krate.dev/v1alpha1
kind: AgentStack
metadata: { name: scripted-demo, namespace: acme }
spec:
  runtime: scripted
  systemPrompt: You fix the issue you are given.
  script: { steps: [{ say: Looking at the issue. }] }
`;

/** A rule that is only in the author's editor: never applied. */
const draftRule = (spec: object = {}) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentTriggerRule',
  metadata: { name: 'checkout-agent-ready', namespace: 'acme' },
  spec: {
    lifecycle: 'draft',
    source: { events: ['label'], repositories: ['acme/checkout-web'] },
    matchers: [
      { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
    ],
    stack: 'scripted-demo',
    promptTemplate: 'Fix issue #{{event.issue.number}}: {{event.issue.title}}',
    dedupeKeyTemplate: '{{repository}}#{{event.issue.number}}',
    ...spec,
  },
});

const body = (rule: unknown = draftRule(), label = 'agent:ready') => ({
  rule,
  source: 'label',
  repository: 'acme/checkout-web',
  event: {
    action: 'labeled',
    label: { name: label },
    issue: { number: 42, title: 'Checkout total is off by a cent' },
  },
});

describe.each(databases.eachSupportedId())(
  'POST /rules/dry-run (a draft rule) on %p',
  databaseId => {
    let denied: string[] = [];

    async function start() {
      denied = [];
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          permissionsDenying(name => denied.includes(name)).factory,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: { agents: { permissions: { decisionCacheSeconds: 0 } } },
          }),
        ],
      });
      const applied = await request(server)
        .post('/api/agents/apply')
        .set('content-type', 'application/yaml')
        .send(STACK);
      expect(applied.status).toBe(200);
      return server;
    }

    /** Whatever a dry-run could have written: the rule, executions, runs. */
    async function written(server: any) {
      const [rule, executions, runs] = await Promise.all([
        request(server).get(`${API}/agenttriggerrules/checkout-agent-ready`),
        request(server).get(`${API}/agenttriggerexecutions`),
        request(server).get('/api/agents/runs?namespace=acme'),
      ]);
      return {
        rule: rule.status,
        executions: executions.body.items,
        runs: runs.body.items,
      };
    }

    it('evaluates a matching draft as an applied rule would be, and writes nothing', async () => {
      const server = await start();
      const response = await request(server).post(DRY_RUN).send(body());

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        lifecycle: 'draft',
        lifecycleDispatches: false,
        matched: true,
        outcome: 'dispatched',
        dedupeKey: 'acme/checkout-web#42',
        run: {
          stack: 'scripted-demo',
          prompt: 'Fix issue #42: Checkout total is off by a cent',
        },
        execution: {
          kind: 'AgentTriggerExecution',
          spec: { rule: 'checkout-agent-ready', dryRun: true },
          status: { matched: true, outcome: 'dispatched' },
        },
      });
      expect(response.body.execution.metadata.uid).toBeUndefined();
      expect(await written(server)).toEqual({
        rule: 404,
        executions: [],
        runs: [],
      });
    });

    it('says which condition of a draft fails for the sample', async () => {
      const server = await start();
      const response = await request(server)
        .post(DRY_RUN)
        .send(body(draftRule(), 'bug'));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        matched: false,
        outcome: 'not-matched',
        reason:
          'spec.matchers[0] (label.name equals \'agent:ready\'): label.name is "bug"',
      });
      expect(response.body.run).toBeUndefined();
      expect((await written(server)).executions).toEqual([]);
    });

    it('answers a bad draft or sample with a 400 naming the field, and a caller who may not dry-run with 403', async () => {
      const server = await start();
      const { stack: _, ...withoutStack } = draftRule().spec;
      const answers = await Promise.all(
        [
          { ...body(), rule: undefined },
          body({ ...draftRule(), spec: withoutStack }),
          body(draftRule({ source: { events: ['tweet'] } })),
          body({ ...draftRule(), kind: 'AgentStack' }),
          body({
            ...draftRule(),
            metadata: { name: 'r', namespace: 'globex' },
          }),
          { ...body(), source: 'tweet' },
          { ...body(), extra: 1 },
        ].map(sent => request(server).post(DRY_RUN).send(sent)),
      );
      expect(
        answers.map(({ status, body: b }) => [status, b.error.message]),
      ).toEqual([
        [400, 'rule: must be an AgentTriggerRule object'],
        [400, 'rule.spec.stack: is required'],
        [
          400,
          expect.stringMatching(
            /^rule\.spec\.source\.events\[0\]: must be one of/,
          ),
        ],
        [400, 'rule.kind: must be AgentTriggerRule'],
        [400, 'rule.metadata.namespace: must be acme, the org of the request'],
        [400, expect.stringMatching(/^source: must be one of/)],
        [400, 'extra: unknown field'],
      ]);
      const noOrg = await request(server)
        .post('/api/agents/rules/dry-run')
        .send(body());
      expect(noOrg.status).toBe(400);
      expect(noOrg.body.error.message).toBe(
        'namespace: is required (?namespace=<org>)',
      );

      denied = ['agents.trigger-execution.create'];
      const refused = await request(server).post(DRY_RUN).send(body());
      expect(refused.status).toBe(403);
      expect(await written(server)).toEqual({
        rule: 404,
        executions: [],
        runs: [],
      });
    });
  },
);
