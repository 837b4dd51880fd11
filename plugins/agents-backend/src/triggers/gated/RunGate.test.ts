import { mockServices } from '@backstage/backend-test-utils';
import {
  AgentApproval,
  AgentTriggerRule,
  AWAITING_BUDGET_APPROVAL_REASON,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseAuditStore } from '../../database/AuditStore';
import { DatabaseResourceStore } from '../../database/DatabaseResourceStore';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  startTestDispatchEngine,
  storeStacks,
  testProfile,
} from '../../__testUtils__/testDispatchEngine';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { RunGate } from './RunGate';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const profile = testProfile('fixer', { runtime: 'instant' });
const resolved = {
  resolve: async () => ({
    profile,
    digest: `sha256:${'0'.repeat(64)}`,
    readiness: 'Ready' as const,
    conditions: [],
  }),
};

const instant: AgentRuntime = {
  id: 'instant',
  displayName: 'Instant',
  capabilities: {
    subagents: false,
    mcp: false,
    resume: false,
    approvals: 'enforced',
  },
  run: async () => ({ phase: 'Succeeded', reason: 'Done', message: 'done' }),
};

const rule = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentTriggerRule',
  metadata: { name: 'gated', namespace: 'acme' },
  spec: {
    lifecycle: 'active',
    source: { events: ['webhook'] },
    stack: 'fixer',
    requireApproval: true,
  },
} as AgentTriggerRule;

describe.each(databases.eachSupportedId())('RunGate on %p', databaseId => {
  let dataDir: string;
  const workers: { stop(): Promise<void> }[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-gate-'));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map(worker => worker.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Two backend instances on one database, each with its engine and gate. */
  async function twoInstances() {
    const { db, store } = await createTestStore(databases, databaseId);
    await storeStacks(store, [profile]);
    await store.create(rule, { actor: 'test' });
    const instances = [];
    for (const name of ['one', 'two']) {
      const own = new DatabaseResourceStore({
        knex: db.knex,
        audit: new DatabaseAuditStore(db.knex),
      });
      const engine = await startTestDispatchEngine({
        instance: name,
        knex: db.knex,
        store: own,
        runsRoot: path.join(dataDir, name),
        runtimes: [instant],
        profiles: [profile],
      });
      workers.push(engine.worker);
      const gate = new RunGate({
        store: own,
        approvals: engine.approvals,
        dispatch: engine.dispatch,
        profiles: resolved,
        logger: mockServices.logger.mock(),
      });
      instances.push({ ...engine, gate });
    }
    return { store, instances };
  }

  it('starts a run approved once, however many instances settle the decision how often', async () => {
    const { store, instances } = await twoInstances();
    const [one, two] = instances;
    const draft = one.dispatch.draftRun(
      {
        namespace: 'acme',
        stack: 'fixer',
        prompt: 'Look into it',
        source: { kind: 'rule', name: 'gated' },
      },
      'agents:trigger-controller',
    );
    draft.metadata.labels = {
      ...draft.metadata.labels,
      [TRIGGER_RULE_LABEL]: 'gated',
    };
    const held = await one.gate.hold(rule, draft, 'gated-execution');
    const pending = (await one.approvals.get(
      'acme',
      held.approval,
    )) as AgentApproval;
    const decided = await one.approvals.decide({
      approval: pending,
      verdict: 'approve',
      actor: 'user:default/ops',
    });

    await Promise.all([
      one.gate.settle(decided),
      two.gate.settle(decided),
      one.gate.settle(decided),
      two.gate.sweep(),
    ]);

    const attempts = await store.list('AgentDispatchAttempt', {
      namespace: 'acme',
      labelSelector: [
        { key: 'agents.krate.dev/run', operator: 'in', values: [held.run] },
      ],
      limit: 10,
    });
    expect(attempts.items.map(a => a.metadata.name)).toEqual([`${held.run}-1`]);
    const current = (await store.get(
      'AgentTriggerRule',
      'acme',
      'gated',
    )) as AgentTriggerRule;
    expect(current.status?.counts).toEqual({ approved: 1 });
  });

  it('opens the approval of a held run whose firing stopped before opening it', async () => {
    const { store, instances } = await twoInstances();
    const [one] = instances;
    const draft = one.dispatch.draftRun(
      { namespace: 'acme', stack: 'fixer', prompt: 'Look into it' },
      'agents:trigger-controller',
    );
    draft.metadata.labels = {
      ...draft.metadata.labels,
      [TRIGGER_RULE_LABEL]: 'gated',
    };
    const run = await one.dispatch.dispatch(
      draft,
      'agents:trigger-controller',
      {
        hold: { reason: 'AwaitingApproval', message: 'held' },
      },
    );
    await one.gate.sweep();
    await one.gate.sweep();
    const approvals = await store.list('AgentApproval', {
      namespace: 'acme',
      labelSelector: [
        {
          key: 'agents.krate.dev/run',
          operator: 'in',
          values: [run.metadata.name],
        },
      ],
      limit: 10,
    });
    expect(approvals.items.map(a => a.spec)).toEqual([
      expect.objectContaining({
        actionClass: 'dispatch',
        policySource: 'AgentTriggerRule/gated',
      }),
    ]);
  });

  it('opens the approval of a run held over a budget whose dispatch stopped before opening it', async () => {
    const { store, instances } = await twoInstances();
    const [one, two] = instances;
    const draft = one.dispatch.draftRun(
      { namespace: 'acme', stack: 'fixer', prompt: 'Look into it' },
      'user:default/alice',
    );
    draft.metadata.annotations = {
      'agents.krate.dev/budgets-approved': 'fixer-daily',
    };
    // Held as a budget holds it, with no approval: the instance stopped in between.
    const run = await one.dispatch.dispatch(draft, 'user:default/alice', {
      hold: {
        reason: AWAITING_BUDGET_APPROVAL_REASON,
        message: 'Waits for an approval before it starts: over fixer-daily',
      },
    });
    await one.gate.sweep();
    await two.gate.sweep();
    const approvals = await store.list('AgentApproval', {
      namespace: 'acme',
      labelSelector: [
        {
          key: 'agents.krate.dev/run',
          operator: 'in',
          values: [run.metadata.name],
        },
      ],
      limit: 10,
    });
    expect(approvals.items.map(a => a.spec)).toEqual([
      expect.objectContaining({
        actionClass: 'dispatch',
        policySource: 'AgentBudget/fixer-daily',
        requester: 'user:default/alice',
      }),
    ]);

    const decided = await one.approvals.decide({
      approval: approvals.items[0] as AgentApproval,
      verdict: 'approve',
      actor: 'user:default/bob',
    });
    await one.gate.settle(decided);
    const released = await store.get(
      'AgentDispatchRun',
      'acme',
      run.metadata.name,
    );
    expect(released?.status?.currentAttempt).toBe(`${run.metadata.name}-1`);
  });

  it('finishes a release whose first attempt an interrupted instance did not queue', async () => {
    const { store, instances } = await twoInstances();
    const [one] = instances;
    const draft = one.dispatch.draftRun(
      { namespace: 'acme', stack: 'fixer', prompt: 'Look into it' },
      'agents:trigger-controller',
    );
    draft.metadata.labels = {
      ...draft.metadata.labels,
      [TRIGGER_RULE_LABEL]: 'gated',
    };
    const held = await one.gate.hold(rule, draft, 'gated-execution');
    const run = await store.get('AgentDispatchRun', 'acme', held.run);
    // The run moved to Queued, then the instance stopped before creating the attempt.
    await store.updateStatus(
      {
        ...run!,
        status: {
          ...run!.status,
          phase: 'Queued',
          reason: 'Queued',
          message: 'Released by user:default/ops; waiting for a runner',
          currentAttempt: `${held.run}-1`,
        },
      },
      { actor: 'test' },
    );
    await one.gate.sweep();
    expect(
      await store.get('AgentDispatchAttempt', 'acme', `${held.run}-1`),
    ).toBeDefined();
  });
});
