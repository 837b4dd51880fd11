import { mockServices } from '@backstage/backend-test-utils';
import {
  AgentTriggerRule,
  TRIGGER_RULE_LABEL,
} from '@krate/plugin-agents-common';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseAuditStore } from '../../database/AuditStore';
import { DatabaseResourceStore } from '../../database/DatabaseResourceStore';
import { ResourceStore } from '../../resources/ResourceStore';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  startTestDispatchEngine,
  storeStacks,
  testProfile,
} from '../../__testUtils__/testDispatchEngine';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { RuleFiring } from '../RuleFiring';
import { TriggerEvaluator } from '../TriggerEvaluator';
import { TriggerSchedules } from './TriggerSchedules';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const profile = testProfile('nightly', { runtime: 'instant' });

/** A runtime whose attempts succeed at once: what is tested is how many there are. */
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

const at = (time: string) => new Date(`2026-03-02T${time}Z`);
const MINUTE = 60_000;

const rule = (source: Record<string, unknown> = {}) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentTriggerRule',
  metadata: { name: 'nightly-triage', namespace: 'acme' },
  spec: {
    lifecycle: 'active',
    source: { events: ['schedule'], schedule: '*/5 * * * *', ...source },
    stack: 'nightly',
    promptTemplate: 'Triage what came in before {{event.scheduledTime}}',
  },
});

describe.each(databases.eachSupportedId())(
  'TriggerSchedules on %p',
  databaseId => {
    let dataDir: string;
    const workers: { stop(): Promise<void> }[] = [];

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-schedules-'));
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map(worker => worker.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** Backend instances on one database, each with its own store, engine and schedules. */
    async function instances(
      count: number,
      options: {
        wrapStore?: (store: ResourceStore) => ResourceStore;
      } = {},
    ) {
      const { db, store } = await createTestStore(databases, databaseId);
      await storeStacks(store, [profile]);
      const made = [];
      for (let i = 0; i < count; i++) {
        const own: ResourceStore = new DatabaseResourceStore({
          knex: db.knex,
          audit: new DatabaseAuditStore(db.knex),
        });
        const engine = await startTestDispatchEngine({
          instance: `instance-${i}`,
          knex: db.knex,
          store: own,
          runsRoot: path.join(dataDir, `runs-${i}`),
          runtimes: [instant],
          profiles: [profile],
        });
        workers.push(engine.worker);
        const { dispatch } = engine;
        const firingStore = options.wrapStore?.(own) ?? own;
        const evaluator = new TriggerEvaluator({
          store: own,
          dispatch,
          profiles: {
            resolve: async () => ({
              profile,
              digest: `sha256:${'0'.repeat(64)}`,
              readiness: 'Ready',
              conditions: [],
            }),
          },
        });
        made.push(
          new TriggerSchedules({
            store: own,
            firing: new RuleFiring({
              store: firingStore,
              evaluator,
              dispatch,
              // These rules do not require approval: nothing is held.
              gate: {
                hold: async () => {
                  throw new Error('no rule here is gated');
                },
              },
            }),
            logger: mockServices.logger.mock(),
            graceMs: 2 * MINUTE,
            claimTimeoutMs: 3 * MINUTE,
          }),
        );
      }
      return { store, schedules: made };
    }

    async function recorded(store: ResourceStore) {
      const selector = [
        {
          key: TRIGGER_RULE_LABEL,
          operator: 'in' as const,
          values: ['nightly-triage'],
        },
      ];
      const [executions, runs, current] = await Promise.all([
        store.list('AgentTriggerExecution', {
          namespace: 'acme',
          labelSelector: selector,
          limit: 100,
        }),
        store.list('AgentDispatchRun', {
          namespace: 'acme',
          labelSelector: selector,
          limit: 100,
        }),
        store.get('AgentTriggerRule', 'acme', 'nightly-triage'),
      ]);
      return {
        executions: executions.items,
        runs: runs.items,
        rule: current as AgentTriggerRule,
      };
    }

    it('fires a slot once with two instances ticking at the same time', async () => {
      const { store, schedules } = await instances(2);
      await store.create(rule(), { actor: 'test' });
      // The first tick that sees the rule active starts its schedule: nothing is due yet.
      await Promise.all(schedules.map(s => s.tick(at('10:01:00'))));
      expect((await recorded(store)).rule.status).toMatchObject({
        scheduledThrough: at('10:01:00').toISOString(),
        nextScheduledTime: at('10:05:00').toISOString(),
      });

      await Promise.all(schedules.map(s => s.tick(at('10:05:20'))));
      await Promise.all(schedules.map(s => s.tick(at('10:05:50'))));

      const { executions, runs, rule: fired } = await recorded(store);
      expect(executions).toHaveLength(1);
      expect(executions[0]).toMatchObject({
        spec: {
          rule: 'nightly-triage',
          source: 'schedule',
          scheduledTime: at('10:05:00').toISOString(),
        },
        status: { outcome: 'dispatched', run: runs[0]?.metadata.name },
      });
      expect(runs).toHaveLength(1);
      expect(runs[0].spec).toMatchObject({
        source: { kind: 'schedule', name: 'nightly-triage' },
        prompt: `Triage what came in before ${at('10:05:00').toISOString()}`,
      });
      expect(fired.status).toMatchObject({
        counts: { dispatched: 1 },
        lastScheduledTime: at('10:05:00').toISOString(),
        nextScheduledTime: at('10:10:00').toISOString(),
        scheduledThrough: at('10:05:00').toISOString(),
      });
      expect(fired.status?.scheduleFiring).toBeUndefined();

      await Promise.all(schedules.map(s => s.tick(at('10:10:30'))));
      expect((await recorded(store)).runs).toHaveLength(2);
    });

    it('finishes a firing interrupted after its run was created, without a second run', async () => {
      let crash = true;
      const { store, schedules } = await instances(1, {
        // The backend stops after the run is created, before its execution is recorded.
        wrapStore: own =>
          new Proxy(own, {
            get: (target, property) =>
              property === 'create'
                ? async (object: any, ...rest: any[]) => {
                    if (object.kind === 'AgentTriggerExecution' && crash) {
                      crash = false;
                      throw new Error('the backend stopped here');
                    }
                    return target.create(object, ...(rest as [any]));
                  }
                : (target as any)[property].bind(target),
          }),
      });
      const [schedule] = schedules;
      await store.create(rule(), { actor: 'test' });
      await schedule.tick(at('10:01:00'));
      await schedule.tick(at('10:05:10'));
      let state = await recorded(store);
      expect(state.runs).toHaveLength(1);
      expect(state.executions).toHaveLength(0);
      expect(state.rule.status?.scheduleFiring).toMatchObject({
        slot: at('10:05:00').toISOString(),
      });

      // A claim younger than the claim timeout may be another instance's, still at work.
      await schedule.tick(at('10:06:00'));
      expect((await recorded(store)).executions).toHaveLength(0);

      await schedule.tick(at('10:08:30'));
      state = await recorded(store);
      expect(state.runs).toHaveLength(1);
      expect(state.executions).toHaveLength(1);
      expect(state.executions[0].status).toMatchObject({
        outcome: 'dispatched',
        run: state.runs[0].metadata.name,
      });
      expect(state.rule.status).toMatchObject({
        counts: { dispatched: 1 },
        lastScheduledTime: at('10:05:00').toISOString(),
      });
      expect(state.rule.status?.scheduleFiring).toBeUndefined();
    });

    it('skips the slots missed while no backend ran, by default, and says so once', async () => {
      const { store, schedules } = await instances(1);
      const [schedule] = schedules;
      await store.create(rule(), { actor: 'test' });
      await schedule.tick(at('10:01:00'));
      // Down from before 10:05 until after 11:00: twelve slots, the latest three minutes old.
      await schedule.tick(at('11:03:00'));

      const { executions, runs, rule: after } = await recorded(store);
      expect(runs).toHaveLength(0);
      expect(executions).toHaveLength(1);
      expect(executions[0]).toMatchObject({
        spec: {
          source: 'schedule',
          scheduledTime: at('11:00:00').toISOString(),
        },
        status: {
          outcome: 'skipped',
          skippedSlots: 12,
          message: `Skipped 12 slots missed while no backend ran (${at(
            '10:05:00',
          ).toISOString()} to ${at(
            '11:00:00',
          ).toISOString()}; missedSchedule skip)`,
        },
      });
      expect(after.status).toMatchObject({
        counts: { skipped: 12 },
        scheduledThrough: at('11:00:00').toISOString(),
        nextScheduledTime: at('11:05:00').toISOString(),
      });
      expect(after.status?.lastScheduledTime).toBeUndefined();

      // The schedule goes on from there: the next slot fires on time.
      await schedule.tick(at('11:05:30'));
      expect((await recorded(store)).runs).toHaveLength(1);
    });

    it('catches up once, for the latest missed slot, with catchUpOnce', async () => {
      const { store, schedules } = await instances(1);
      const [schedule] = schedules;
      await store.create(rule({ missedSchedule: 'catchUpOnce' }), {
        actor: 'test',
      });
      await schedule.tick(at('10:01:00'));
      await schedule.tick(at('11:03:00'));
      await schedule.tick(at('11:03:30'));

      const { executions, runs, rule: after } = await recorded(store);
      expect(runs).toHaveLength(1);
      expect(executions).toHaveLength(1);
      expect(executions[0]).toMatchObject({
        spec: { scheduledTime: at('11:00:00').toISOString() },
        status: {
          outcome: 'dispatched',
          run: runs[0].metadata.name,
          message: `Caught up once for missed slot ${at(
            '11:00:00',
          ).toISOString()} (missedSchedule catchUpOnce); 11 earlier missed slots not fired`,
        },
      });
      expect(after.status).toMatchObject({
        counts: { dispatched: 1 },
        lastScheduledTime: at('11:00:00').toISOString(),
      });
    });

    it('fires nothing for a rule that is not active, and starts afresh when it is again', async () => {
      const { store, schedules } = await instances(1);
      const [schedule] = schedules;
      await store.create(rule(), { actor: 'test' });
      await schedule.tick(at('10:01:00'));
      const active = (await recorded(store)).rule;
      await store.update(
        {
          ...active,
          spec: { ...active.spec, lifecycle: 'paused' },
        } as any,
        { actor: 'test' },
      );
      await schedule.tick(at('10:05:10'));
      let state = await recorded(store);
      expect(state.runs).toHaveLength(0);
      expect(state.rule.status?.scheduledThrough).toBeUndefined();

      await store.update(
        {
          ...state.rule,
          spec: { ...state.rule.spec, lifecycle: 'active' },
        } as any,
        { actor: 'test' },
      );
      await schedule.tick(at('11:02:00'));
      state = await recorded(store);
      // The paused hour is not a missed one: no skip record, no catch-up.
      expect(state.executions).toHaveLength(0);
      expect(state.rule.status?.nextScheduledTime).toBe(
        at('11:05:00').toISOString(),
      );
    });
  },
);
