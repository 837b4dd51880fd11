import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AWAITING_BUDGET_APPROVAL_REASON,
  BUDGET_EXCEEDED_REASON,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { Knex } from 'knex';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  applyObjects,
  dispatchConfig,
  isFinished,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const SECRET = 'webhook-secret-of-acme-0123456789';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';
const HOUR = 3_600_000;

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const openTools = object('AgentToolProfile', 'open', { approvalRequired: [] });

const stack = (name: string, steps: object[], extra: object = {}) =>
  object('AgentStack', name, {
    runtime: 'scripted',
    toolProfile: 'open',
    allowSelfApproval: true,
    script: { steps },
    ...extra,
  });

const budget = (name: string, spec: object) =>
  object('AgentBudget', name, {
    window: '24h',
    limits: { usd: 1 },
    ...spec,
  });

describe.each(databases.eachSupportedId())('budgets on %p', databaseId => {
  let dataDir: string;
  let knex: Knex;
  // Stopped and closed after each test, not after the file: each backend polls the database, and
  // a pool keeps its connections for seconds after, so a file's tests would pile up connections.
  const backends: { stop(): Promise<void> }[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-budgets-'));
  });
  afterEach(async () => {
    await Promise.all(backends.splice(0).map(started => started.stop()));
    await knex?.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function backend(extra: object = {}) {
    const { db } = await createTestStore(databases, databaseId);
    knex = db.knex;
    const testBackend = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({
          data: {
            agents: dispatchConfig(dataDir, {
              webhooks: [
                {
                  name: 'acme-hook',
                  type: 'generic',
                  namespace: 'acme',
                  secret: SECRET,
                },
              ],
              ...extra,
            }),
          },
        }),
      ],
    });
    backends.push(testBackend);
    const { server } = testBackend;
    await applyObjects(server, openTools);
    return server;
  }

  /** Writes an attempt's spend into the ledger, as if it had run `hoursAgo`. */
  async function spent(row: {
    attempt: string;
    stack: string;
    usd: number;
    tokens?: number;
    rule?: string;
    owner?: string;
    hoursAgo?: number;
  }) {
    const startedAt = Date.now() - (row.hoursAgo ?? 1) * HOUR;
    await knex('agents_attempt_costs').insert({
      namespace: 'acme',
      attempt: row.attempt,
      run: row.attempt.replace(/-\d+$/, ''),
      stack: row.stack,
      rule: row.rule ?? null,
      owner: row.owner ?? null,
      usd: row.usd,
      input_tokens: row.tokens ?? 0,
      output_tokens: 0,
      started_at: startedAt,
      updated_at: startedAt,
    });
  }

  const runsOf = async (server: any, stackName: string) =>
    (await request(server).get(`/api/agents/runs?namespace=acme`)).body.items
      .filter((r: any) => r.spec.stack === stackName)
      .map((r: any) => r.metadata.name);

  const dispatchRun = (server: any, stackName: string, prompt = 'Fix it') =>
    request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: stackName, prompt });

  it('refuses a dispatch over a spent budget with 409 naming the budget, and writes nothing', async () => {
    const server = await backend();
    await applyObjects(
      server,
      stack('builder', [{ say: 'hi' }]),
      budget('builder-daily', { scope: { stack: 'builder' } }),
    );
    await spent({ attempt: 'old-run-1', stack: 'builder', usd: 1.5 });

    const refused = await dispatchRun(server, 'builder');

    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /^BudgetExceeded: AgentBudget acme\/builder-daily \(stack builder, 24h\) has spent \$1\.50 of \$1\.00/,
    );
    expect(await runsOf(server, 'builder')).toEqual([]);
    const approvals = await request(server).get(`${API}/agentapprovals`);
    expect(approvals.body.items).toEqual([]);
  });

  it('holds a run over a requireApproval budget; approving starts it, rejecting cancels it', async () => {
    const server = await backend();
    await applyObjects(
      server,
      stack('builder', [{ cost: { usd: 0.1 } }, { shell: 'echo approved' }]),
      budget('builder-daily', {
        scope: { stack: 'builder' },
        onExceed: 'requireApproval',
      }),
    );
    await spent({ attempt: 'old-run-1', stack: 'builder', usd: 2 });

    const held = await dispatchRun(server, 'builder');
    expect(held.status).toBe(201);
    expect(held.body.status).toMatchObject({
      phase: 'Waiting',
      reason: AWAITING_BUDGET_APPROVAL_REASON,
      message: expect.stringContaining('AgentBudget acme/builder-daily'),
    });
    expect(
      held.body.metadata.annotations['agents.krate.dev/budgets-approved'],
    ).toBe('builder-daily');
    expect(held.body.status.currentAttempt).toBeUndefined();
    const approvalOf = async (run: string) =>
      (
        await request(server).get(
          `${API}/agentapprovals?labelSelector=agents.krate.dev%2Frun%3D${run}`,
        )
      ).body.items[0];
    const approval = await approvalOf(held.body.metadata.name);
    expect(approval.spec).toMatchObject({
      actionClass: 'dispatch',
      policySource: 'AgentBudget/builder-daily',
    });

    const approved = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .send({ decision: 'approve', reason: 'worth it' });
    expect(approved.status).toBe(200);
    // Approved over the budget: its hard cap does not stop the run when it reports its cost.
    const done = await waitForRun(server, held.body.metadata.name, isFinished);
    expect(done.status.phase).toBe('Succeeded');
    expect(done.status.currentAttempt).toBe(`${held.body.metadata.name}-1`);

    const second = await dispatchRun(server, 'builder');
    expect(second.body.status.reason).toBe(AWAITING_BUDGET_APPROVAL_REASON);
    const secondApproval = await approvalOf(second.body.metadata.name);
    await request(server)
      .post(`/api/agents/approvals/${secondApproval.metadata.name}/decision`)
      .send({ decision: 'reject', reason: 'not today' });
    const cancelled = await waitForRun(
      server,
      second.body.metadata.name,
      isFinished,
    );
    expect(cancelled.status).toMatchObject({
      phase: 'Cancelled',
      reason: 'ApprovalRejected',
      message: expect.stringContaining('not today'),
    });
  });

  it('stops a running attempt whose cost crosses a hard cap, before its next step', async () => {
    const server = await backend();
    await applyObjects(
      server,
      stack('spender', [
        { cost: { usd: 0.6, inputTokens: 1000, outputTokens: 100 } },
        { cost: { usd: 0.6, inputTokens: 1000, outputTokens: 100 } },
        { shell: 'touch ran-after-the-cap' },
      ]),
      budget('spender-daily', { scope: { stack: 'spender' } }),
    );

    const started = await dispatchRun(server, 'spender');
    expect(started.status).toBe(201);
    const run = await waitForRun(
      server,
      started.body.metadata.name,
      isFinished,
    );

    expect(run.status).toMatchObject({
      phase: 'Failed',
      reason: BUDGET_EXCEEDED_REASON,
      message: expect.stringContaining(
        'AgentBudget acme/spender-daily (stack spender, 24h) has spent $1.20 of $1.00',
      ),
    });
    const events = (
      await request(server).get(
        `/api/agents/runs/${run.metadata.name}/events?sinceSeq=0`,
      )
    ).body.items;
    expect(events.some((e: any) => e.type === 'shell_start')).toBe(false);
    const files = readdirSync(dataDir, { recursive: true }).map(String);
    expect(files.filter(f => f.endsWith('ran-after-the-cap'))).toEqual([]);
    const costs = await request(server).get(
      '/api/agents/costs?namespace=acme&groupBy=run',
    );
    expect(costs.body.items).toEqual([
      expect.objectContaining({
        key: run.metadata.name,
        usd: 1.2,
        tokens: 2200,
      }),
    ]);
    // A retry by hand is a new attempt: refused while the budget is spent.
    const retry = await request(server)
      .post(`/api/agents/runs/${run.metadata.name}/retry`)
      .send({});
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toMatch(
      /^BudgetExceeded: AgentBudget acme\/spender-daily/,
    );
    const state = await request(server).get(
      '/api/agents/budgets/state?namespace=acme&stack=spender',
    );
    expect(state.body.items[0]).toMatchObject({
      name: 'spender-daily',
      exceeded: true,
      remaining: { usd: 0 },
    });
  });

  it("records a rule's refused dispatch as a rejected execution with reason BudgetExceeded", async () => {
    const server = await backend();
    await applyObjects(
      server,
      stack('fixer', [{ say: 'on it' }]),
      object('AgentTriggerRule', 'alerts', {
        lifecycle: 'active',
        source: { events: ['webhook'] },
        stack: 'fixer',
        promptTemplate: 'Look into {{event.alert.name}}',
      }),
      budget('alerts-daily', { scope: { rule: 'alerts' } }),
    );
    await spent({
      attempt: 'earlier-1',
      stack: 'fixer',
      rule: 'alerts',
      usd: 3,
    });

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
        `${API}/agenttriggerexecutions?labelSelector=${TRIGGER_RULE_LABEL}%3Dalerts`,
      );
      execution = list.body.items.find((e: any) => !e.spec.dryRun);
      if (!execution) await new Promise(r => setTimeout(r, 25));
    }

    expect(execution.status).toMatchObject({
      matched: true,
      outcome: 'rejected',
      rejectionReason: expect.stringMatching(
        /^BudgetExceeded: AgentBudget acme\/alerts-daily \(rule alerts, 24h\)/,
      ),
    });
    expect(await runsOf(server, 'fixer')).toEqual([]);

    // A dry-run of the rule says so before anything fires.
    const dryRun = await request(server)
      .post('/api/agents/rules/alerts/dry-run?namespace=acme')
      .send({ source: 'webhook', event: { alert: { name: 'Latency' } } });
    expect(dryRun.status).toBe(201);
    expect(dryRun.body.budget).toMatchObject({
      verdict: 'refused',
      estimate: { basis: 'none' },
      budgets: [
        expect.objectContaining({ name: 'alerts-daily', wouldExceed: true }),
      ],
    });
  });

  it("counts only its own scope's spend inside its window", async () => {
    const server = await backend();
    await applyObjects(
      server,
      stack('builder', [{ say: 'hi' }], { owner: 'group:default/payments' }),
      budget('builder-daily', { scope: { stack: 'builder' } }),
      budget('payments-weekly', {
        scope: { owner: 'group:default/payments' },
        window: '7d',
        limits: { tokens: 1000 },
      }),
    );
    await spent({ attempt: 'a-1', stack: 'builder', usd: 0.25, tokens: 100 });
    await spent({ attempt: 'b-1', stack: 'other', usd: 5, tokens: 100 });
    await spent({
      attempt: 'c-1',
      stack: 'builder',
      usd: 5,
      tokens: 100,
      hoursAgo: 30,
    });
    await spent({
      attempt: 'd-1',
      stack: 'builder',
      owner: 'group:default/payments',
      usd: 0.1,
      tokens: 300,
      hoursAgo: 48,
    });

    const state = await request(server).get(
      '/api/agents/budgets/state?namespace=acme',
    );
    expect(state.status).toBe(200);
    const byName = Object.fromEntries(
      state.body.items.map((s: any) => [s.name, s]),
    );
    expect(byName['builder-daily']).toMatchObject({
      scope: { kind: 'stack', name: 'builder' },
      spent: { usd: 0.25, tokens: 100 },
      remaining: { usd: 0.75 },
      exceeded: false,
      onExceed: 'refuse',
      hardCap: true,
    });
    expect(byName['payments-weekly']).toMatchObject({
      scope: { kind: 'owner', name: 'group:default/payments' },
      spent: { tokens: 300 },
      remaining: { tokens: 700 },
    });

    // The run is charged to the stack's owner as it was at dispatch.
    const run = await dispatchRun(server, 'builder');
    expect(run.status).toBe(201);
    expect(run.body.metadata.annotations).toEqual({
      'agents.krate.dev/budget-owner': 'group:default/payments',
    });
    const filtered = await request(server).get(
      '/api/agents/budgets/state?namespace=acme&owner=group:default/payments',
    );
    expect(filtered.body.items.map((s: any) => s.name)).toEqual([
      'payments-weekly',
    ]);
  });

  it('groups costs by run, stack, rule and owner, most expensive first', async () => {
    const server = await backend();
    await spent({ attempt: 'r1-1', stack: 'a', usd: 1, rule: 'x' });
    await spent({ attempt: 'r1-2', stack: 'a', usd: 2, rule: 'x' });
    await spent({
      attempt: 'r2-1',
      stack: 'b',
      usd: 5,
      owner: 'group:default/payments',
    });
    await spent({ attempt: 'r3-1', stack: 'a', usd: 7, hoursAgo: 24 * 40 });

    const costs = async (query: string) =>
      (await request(server).get(`/api/agents/costs?namespace=acme&${query}`))
        .body;

    expect((await costs('groupBy=run')).items).toEqual([
      expect.objectContaining({ key: 'r2', usd: 5, attempts: 1 }),
      expect.objectContaining({ key: 'r1', usd: 3, attempts: 2 }),
    ]);
    expect(
      (await costs('groupBy=stack')).items.map((r: any) => [r.key, r.usd]),
    ).toEqual([
      ['b', 5],
      ['a', 3],
    ]);
    expect(
      (await costs('groupBy=rule')).items.map((r: any) => [r.key, r.usd]),
    ).toEqual([['x', 3]]);
    expect(
      (await costs('groupBy=owner')).items.map((r: any) => [r.key, r.usd]),
    ).toEqual([['group:default/payments', 5]]);
    const older = await costs(
      `groupBy=stack&since=${new Date(
        Date.now() - 60 * 24 * HOUR,
      ).toISOString()}&stack=a`,
    );
    expect(older.items).toEqual([
      expect.objectContaining({ key: 'a', usd: 10, attempts: 3 }),
    ]);
    expect((await costs('groupBy=attempt&limit=1')).items).toHaveLength(1);
  });

  it('estimates from recent runs, else from the model price', async () => {
    const server = await backend({
      budgets: {
        modelPrices: [
          {
            model: 'big-model',
            inputUsdPerMillionTokens: 10,
            outputUsdPerMillionTokens: 30,
          },
        ],
      },
    });
    await applyObjects(
      server,
      stack('priced', [{ cost: { inputTokens: 1000, outputTokens: 100 } }], {
        model: 'big-model',
      }),
    );
    const estimate = (body: object) =>
      request(server).post('/api/agents/budgets/estimate').send(body);

    const fresh = await estimate({
      namespace: 'acme',
      stack: 'priced',
      prompt: 'x'.repeat(4000),
    });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      estimate: {
        basis: 'modelPrice',
        inputTokens: 1000,
        usd: 0.01,
        model: 'big-model',
      },
      verdict: 'allowed',
      budgets: [],
    });

    const run = await dispatchRun(server, 'priced', 'go');
    const done = await waitForRun(
      server,
      run.body.metadata.name,
      r => r.status?.phase === 'Succeeded',
    );
    // The organisation's price wins over the runtime's 0 USD: 1000 × $10 + 100 × $30 per million,
    // and the runtime's own closing report of the one-token prompt, 1 × $10 per million.
    expect(done.status.cost.usd).toBeCloseTo(0.01301, 6);

    await applyObjects(
      server,
      budget('priced-daily', {
        scope: { stack: 'priced' },
        limits: { usd: 0.02 },
      }),
    );
    const after = await estimate({ namespace: 'acme', stack: 'priced' });
    expect(after.body.estimate).toMatchObject({
      basis: 'recentRuns',
      sampleSize: 1,
    });
    expect(after.body.estimate.usd).toBeCloseTo(0.01301, 6);
    expect(after.body.verdict).toBe('refused');
    expect(after.body.reason).toMatch(/AgentBudget acme\/priced-daily/);
    expect(after.body.budgets[0]).toMatchObject({ wouldExceed: true });
  });

  it('answers 400 naming the field for bad input, 404 for an unknown stack', async () => {
    const server = await backend();
    const bad = async (url: string) => {
      const response = await request(server).get(url);
      return [response.status, response.body.error?.message];
    };
    expect(await bad('/api/agents/costs')).toEqual([
      400,
      'namespace: is required',
    ]);
    expect(await bad('/api/agents/costs?namespace=acme&groupBy=model')).toEqual(
      [400, 'groupBy: must be one of attempt, run, stack, rule, owner'],
    );
    expect(
      await bad('/api/agents/costs?namespace=acme&since=yesterday'),
    ).toEqual([400, 'since: must be an ISO 8601 time']);
    expect(await bad('/api/agents/costs?namespace=acme&limit=0')).toEqual([
      400,
      'limit: must be an integer from 1 to 500',
    ]);
    expect(await bad('/api/agents/budgets/state')).toEqual([
      400,
      'namespace: is required',
    ]);
    const unknownField = await request(server)
      .post('/api/agents/budgets/estimate')
      .send({ namespace: 'acme', stack: 'x', model: 'y' });
    expect([unknownField.status, unknownField.body.error.message]).toEqual([
      400,
      'model: unknown field',
    ]);
    const unknownStack = await request(server)
      .post('/api/agents/budgets/estimate')
      .send({ namespace: 'acme', stack: 'nope' });
    expect(unknownStack.status).toBe(404);
  });

  it.each([
    [
      'two scopes',
      { scope: { stack: 'a', rule: 'b' } },
      'spec.scope: must NOT have more than 1 properties',
    ],
    [
      'no scope',
      { scope: {} },
      'spec.scope: must NOT have fewer than 1 properties',
    ],
    [
      'no limit',
      { scope: { stack: 'a' }, limits: {} },
      'spec.limits: must NOT have fewer than 1 properties',
    ],
    [
      'a zero limit',
      { scope: { stack: 'a' }, limits: { usd: 0 } },
      'spec.limits.usd: must be more than 0',
    ],
    ['a bad window', { scope: { stack: 'a' }, window: '2w' }, 'spec.window'],
  ])(
    'refuses a budget with %s (400 naming the field)',
    async (_, spec, message) => {
      const server = await backend();
      for (const write of [
        () => request(server).post('/api/agents/apply').send(budget('b', spec)),
        () =>
          request(server).post(`${API}/agentbudgets`).send(budget('b', spec)),
      ]) {
        const response = await write();
        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain(message);
      }
    },
  );
});
