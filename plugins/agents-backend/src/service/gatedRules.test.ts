import { startTestBackend, mockServices } from '@backstage/backend-test-utils';
import { TRIGGER_RULE_LABEL } from '@krate/plugin-agents-common';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { dispatchConfig, waitForRun } from '../__testUtils__/dispatchTestKit';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

describe.each(databases.eachSupportedId())(
  'trigger rules that require approval on %p',
  databaseId => {
    let dataDir: string;
    let denied: string[] = [];

    beforeEach(() => {
      denied = [];
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-gated-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    async function backend(approvals: object = {}) {
      const { db } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          permissionsDenying(name => denied.includes(name)).factory,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: dispatchConfig(dataDir, {
                permissions: { decisionCacheSeconds: 0 },
                approvals,
                webhooks: [
                  {
                    name: 'acme-hook',
                    type: 'generic',
                    namespace: 'acme',
                    secret: SECRET,
                  },
                ],
              }),
            },
          }),
        ],
      });
      for (const item of [
        object('AgentStack', 'fixer', {
          runtime: 'scripted',
          approvers: ['group:default/release-managers'],
          script: { steps: [{ say: 'on it' }] },
        }),
        object('AgentTriggerRule', 'gated', {
          lifecycle: 'active',
          source: { events: ['webhook'] },
          stack: 'fixer',
          promptTemplate: 'Look into {{event.alert.name}}',
          requireApproval: true,
        }),
      ]) {
        const response = await request(server)
          .post('/api/agents/apply')
          .send(item);
        expect(response.status).toBe(200);
      }
      return server;
    }

    /** Delivers an alert and answers the run, execution and approval it made. */
    async function deliver(server: any) {
      const body = JSON.stringify({ alert: { name: 'CheckoutErrorRate' } });
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      const answer = await request(server)
        .post('/api/agents/webhooks/acme-hook')
        .set('content-type', 'application/json')
        .set('x-krate-delivery', randomUUID())
        .set('x-hub-signature-256', `sha256=${signature}`)
        .send(body);
      expect(answer.status).toBe(202);
      let execution: any;
      for (let i = 0; i < 200 && !execution; i++) {
        const list = await request(server).get(
          `${API}/agenttriggerexecutions?labelSelector=${TRIGGER_RULE_LABEL}%3Dgated`,
        );
        execution = list.body.items.find((e: any) => !e.spec.dryRun);
        if (!execution) await new Promise(r => setTimeout(r, 25));
      }
      const run = (
        await request(server).get(`/api/agents/runs/${execution.status.run}`)
      ).body;
      const approval = (
        await request(server).get(
          `${API}/agentapprovals/${execution.status.approval.name}`,
        )
      ).body;
      return { execution, run, approval };
    }

    const attemptsOf = async (server: any, run: string) =>
      (
        await request(server).get(
          `${API}/agentdispatchattempts?labelSelector=agents.krate.dev%2Frun%3D${run}`,
        )
      ).body.items;

    const ruleStatus = async (server: any) =>
      (await request(server).get(`${API}/agenttriggerrules/gated`)).body.status;

    /**
     * The rule's status once the gate counted the decision: the gate ends the run, notes the
     * decision on the execution and counts it on the rule, in that order, after the answer.
     */
    const ruleCounted = async (server: any, count: string) => {
      for (let i = 0; i < 100; i++) {
        const status = await ruleStatus(server);
        if (status?.counts?.[count]) return status;
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      return ruleStatus(server);
    };

    const executionNamed = async (server: any, name: string) =>
      (await request(server).get(`${API}/agenttriggerexecutions/${name}`)).body;

    it('holds the run for a dispatch approval, and starts it once when approved', async () => {
      const server = await backend();
      const { execution, run, approval } = await deliver(server);

      expect(execution.status).toMatchObject({
        matched: true,
        outcome: 'awaiting-approval',
        approval: { name: approval.metadata.name, state: 'pending' },
      });
      expect(run.status).toMatchObject({
        phase: 'Waiting',
        reason: 'AwaitingApproval',
      });
      expect(run.status.currentAttempt).toBeUndefined();
      expect(await attemptsOf(server, run.metadata.name)).toHaveLength(0);
      expect(approval.spec).toMatchObject({
        actionClass: 'dispatch',
        run: run.metadata.name,
        policySource: 'AgentTriggerRule/gated',
        approvers: ['group:default/release-managers'],
        requesterMayApprove: false,
      });
      expect(approval.status.state).toBe('pending');

      // Without the decide permission, the decision is refused and the run stays held.
      denied = ['agents.approval.decide'];
      const refused = await request(server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .send({ decision: 'approve' });
      expect(refused.status).toBe(403);
      expect(
        (await request(server).get(`/api/agents/runs/${run.metadata.name}`))
          .body.status.phase,
      ).toBe('Waiting');

      denied = [];
      const approved = await request(server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .send({ decision: 'approve', reason: 'go' });
      expect(approved.status).toBe(200);
      const again = await request(server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .send({ decision: 'approve' });
      expect(again.status).toBe(409);

      const done = await waitForRun(
        server,
        run.metadata.name,
        r => r.status?.phase === 'Succeeded',
      );
      expect(done.status.currentAttempt).toBe(`${run.metadata.name}-1`);
      expect(await attemptsOf(server, run.metadata.name)).toHaveLength(1);
      expect(await ruleCounted(server, 'approved')).toMatchObject({
        counts: { awaitingApproval: 1, approved: 1 },
      });
      expect(
        (await executionNamed(server, execution.metadata.name)).status,
      ).toMatchObject({
        approval: { state: 'approved', reason: 'go' },
        message: expect.stringMatching(/^Approved by .*: go$/),
      });
    });

    it('ends the run Cancelled when the approval is rejected, with who and why on the execution', async () => {
      const server = await backend();
      const { execution, run, approval } = await deliver(server);
      const rejected = await request(server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .send({ decision: 'reject', reason: 'not during the freeze' });
      expect(rejected.status).toBe(200);

      const ended = await waitForRun(
        server,
        run.metadata.name,
        r => r.status?.phase === 'Cancelled',
      );
      expect(ended.status).toMatchObject({
        reason: 'ApprovalRejected',
        message: expect.stringMatching(
          /^Rejected by .*: not during the freeze$/,
        ),
      });
      expect(await attemptsOf(server, run.metadata.name)).toHaveLength(0);
      expect(await ruleCounted(server, 'approvalRejected')).toMatchObject({
        counts: { awaitingApproval: 1, approvalRejected: 1 },
      });
      const recorded = await executionNamed(server, execution.metadata.name);
      expect(recorded.status.approval).toMatchObject({
        state: 'rejected',
        decidedBy: rejected.body.status.decidedBy,
        reason: 'not during the freeze',
      });
    });

    it('ends the run Cancelled when the approval expires', async () => {
      const server = await backend({ expireAfterMinutes: 0.01 });
      const { execution, run, approval } = await deliver(server);
      await new Promise(resolve => setTimeout(resolve, 1_000));
      // A decision that comes too late expires the approval, as the expiry task would.
      const late = await request(server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .send({ decision: 'approve' });
      expect(late.status).toBe(409);

      const ended = await waitForRun(
        server,
        run.metadata.name,
        r => r.status?.phase === 'Cancelled',
      );
      expect(ended.status).toMatchObject({
        reason: 'ApprovalExpired',
        message:
          'The approval expired: No decision before the approval expired',
      });
      expect(await attemptsOf(server, run.metadata.name)).toHaveLength(0);
      expect(await ruleCounted(server, 'approvalExpired')).toMatchObject({
        counts: { approvalExpired: 1 },
      });
      expect(
        (await executionNamed(server, execution.metadata.name)).status.approval,
      ).toMatchObject({ state: 'expired' });
    });

    it('counts a held run as active for the rule concurrency, and dry-runs say it would wait', async () => {
      const server = await backend();
      await request(server)
        .patch(`${API}/agenttriggerrules/gated`)
        .set('content-type', 'application/merge-patch+json')
        .send({
          spec: { concurrency: { policy: 'allow', maxConcurrentRuns: 1 } },
        })
        .expect(200);
      const { run } = await deliver(server);
      const dryRun = await request(server)
        .post('/api/agents/rules/gated/dry-run?namespace=acme')
        .send({ source: 'webhook', event: { alert: { name: 'Disk' } } });
      expect(dryRun.status).toBe(201);
      expect(dryRun.body).toMatchObject({
        outcome: 'rejected',
        activeRuns: [run.metadata.name],
        reason: `maxConcurrentRuns 1 reached: ${run.metadata.name} is active`,
      });
      await request(server)
        .patch(`${API}/agenttriggerrules/gated`)
        .set('content-type', 'application/merge-patch+json')
        .send({ spec: { concurrency: null } })
        .expect(200);
      const waits = await request(server)
        .post('/api/agents/rules/gated/dry-run?namespace=acme')
        .send({ source: 'webhook', event: { alert: { name: 'Disk' } } });
      expect(waits.body).toMatchObject({
        outcome: 'awaiting-approval',
        reason:
          'the run would wait, before its first attempt, for an AgentApproval (spec.requireApproval)',
      });
    });
  },
);
