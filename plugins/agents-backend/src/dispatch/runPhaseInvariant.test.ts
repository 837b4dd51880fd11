import { ConflictError } from '@backstage/errors';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScriptedRuntime } from '../runtimes/scripted';
import { PuppetRuntime } from '../__testUtils__/PuppetRuntime';
import {
  createTestDispatchEngine,
  testProfile,
} from '../__testUtils__/testDispatchEngine';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { attemptNumber, isTerminal, RUN_LABEL } from './names';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const REQUESTER = 'user:default/alice';
const APPROVER = 'user:default/bob';
const SAMPLE_SIZE = 64;

type Step =
  | 'end-succeeded'
  | 'end-failed'
  | 'approve'
  | 'reject'
  | 'expire'
  | 'cancel';

/**
 * Every order of the attempt's end with any of: the gate decided, the gate expired, the run
 * cancelled.
 */
function everyOrder(): Step[][] {
  const orders: Step[][] = [];
  const permute = (left: Step[], done: Step[]) => {
    if (left.length === 0) orders.push(done);
    left.forEach((step, i) =>
      permute([...left.slice(0, i), ...left.slice(i + 1)], [...done, step]),
    );
  };
  for (const end of ['end-succeeded', 'end-failed'] as const) {
    for (const decide of [[], ['approve'], ['reject']] as Step[][]) {
      for (const expire of [[], ['expire']] as Step[][]) {
        for (const cancel of [[], ['cancel']] as Step[][]) {
          permute([end, ...decide, ...expire, ...cancel], []);
        }
      }
    }
  }
  return orders;
}

/** mulberry32: the same gaps on every run of the test. */
function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe.each(databases.eachSupportedId())(
  'run phase invariant on %p',
  databaseId => {
    let dataDir: string;
    let engine: Awaited<ReturnType<typeof createTestDispatchEngine>>;

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-phases-'));
    });
    afterEach(async () => {
      await engine?.worker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function dispatchRun(stack: string) {
      const { dispatch } = engine;
      return dispatch.dispatch(
        dispatch.draftRun(
          { namespace: 'acme', stack, prompt: 'Fix it' },
          REQUESTER,
        ),
        REQUESTER,
      );
    }

    /** Resolves once the attempt's execution has ended and let go of its lease. */
    function attemptReleased(attempt: string) {
      return until(async () =>
        (await engine.parts.leases.get({ namespace: 'acme', attempt }))
          ? undefined
          : true,
      );
    }

    /** What is wrong with the run: the rule, or a status or log that contradicts it. */
    async function violationsOf(name: string): Promise<string[]> {
      const { store, parts } = engine;
      const run = (await store.get('AgentDispatchRun', 'acme', name))!;
      const attempts = (
        await store.list('AgentDispatchAttempt', {
          namespace: 'acme',
          labelSelector: [{ key: RUN_LABEL, operator: 'in', values: [name] }],
          limit: 10,
        })
      ).items.sort(
        (a, b) =>
          attemptNumber(a.metadata.name) - attemptNumber(b.metadata.name),
      );
      const latest = attempts.at(-1)!;
      const problems: string[] = [];
      const show = (status: any) =>
        `${status?.phase} · ${status?.reason} (${status?.message})`;
      if (!isTerminal(latest.status?.phase)) {
        problems.push(`attempt never ended: ${show(latest.status)}`);
      } else if (
        run.status?.phase !== latest.status?.phase ||
        run.status?.reason !== latest.status?.reason
      ) {
        problems.push(
          `run is ${show(run.status)}, its attempt ${show(latest.status)}`,
        );
      }
      for (const object of [run, ...attempts]) {
        if (
          !isTerminal(object.status?.phase) &&
          object.status?.completionTime
        ) {
          problems.push(
            `${object.kind} is ${show(object.status)} with a completionTime`,
          );
        }
      }
      const lastPhase = await parts.events.lastOfType(
        { namespace: 'acme', run: name, attempt: latest.metadata.name },
        'attempt_phase',
      );
      if (
        lastPhase?.phase !== latest.status?.phase ||
        lastPhase?.reason !== latest.status?.reason
      ) {
        problems.push(`the log ends the attempt ${show(lastPhase)}`);
      }
      return problems;
    }

    it('ends the run with its attempt when the scripted agent runs out of time waiting for write-back approval', async () => {
      engine = await createTestDispatchEngine({
        databases,
        databaseId,
        dataDir,
        runtimes: [new ScriptedRuntime()],
        profiles: [
          testProfile('scripted-demo', {
            runnerPolicy: { timeoutSeconds: 1 },
            writeBackPolicy: { mode: 'pull-request', requireApproval: true },
            script: {
              steps: [
                { say: 'The patch is ready.' },
                {
                  approval: {
                    actionClass: 'write-back',
                    target: 'pull request on acme/payments-api',
                  },
                },
                { say: 'Approved.' },
              ],
            },
          }),
        ],
      });
      const run = await dispatchRun('scripted-demo');
      await attemptReleased(`${run.metadata.name}-1`);
      // Give anything still in flight for the attempt the time to land.
      await sleep(200);

      const ended = (await engine.store.get(
        'AgentDispatchRun',
        'acme',
        run.metadata.name,
      )) as AgentDispatchRun;
      expect(ended.status).toMatchObject({
        phase: 'Failed',
        reason: 'TimedOut',
        completionTime: expect.any(String),
      });
      expect(await violationsOf(run.metadata.name)).toEqual([]);
      expect(
        (await engine.dispatch.actionsOf(ended)).find(
          a => a.action === 'cancel',
        )?.refusal,
      ).toBeDefined();
    });

    it('ends an attempt nobody drives like any other when its run is cancelled: last event, session and gate closed', async () => {
      engine = await createTestDispatchEngine({
        databases,
        databaseId,
        dataDir,
        runtimes: [new PuppetRuntime()],
        profiles: [
          testProfile('gated', { runtime: 'puppet', approvalMode: 'always' }),
        ],
      });
      const { store, approvals, dispatch, worker } = engine;
      const run = await dispatchRun('gated');
      const attempt = `${run.metadata.name}-1`;
      const [gate] = await until(async () => {
        const pending = await approvals.pendingForAttempt('acme', attempt);
        return pending.length ? pending : undefined;
      });
      // The instance stops: its lease lapses, and no other instance claims the attempt.
      await worker.stop();

      await dispatch.act(
        (await store.get(
          'AgentDispatchRun',
          'acme',
          run.metadata.name,
        )) as AgentDispatchRun,
        'cancel',
        { actor: REQUESTER },
      );
      expect(await violationsOf(run.metadata.name)).toEqual([]);
      expect(
        (await store.get('AgentDispatchRun', 'acme', run.metadata.name))
          ?.status,
      ).toMatchObject({
        phase: 'Cancelled',
        message: `Cancelled by ${REQUESTER}`,
      });
      expect(
        (await store.get('AgentSession', 'acme', `${attempt}-session`))?.status
          ?.state,
      ).toBe('idle');
      expect(
        (await approvals.get('acme', gate.metadata.name))?.status?.state,
      ).toBe('expired');
      expect(
        await engine.parts.leases.get({ namespace: 'acme', attempt }),
      ).toBeUndefined();
    });

    it('keeps "a run whose latest attempt has ended has ended, as the attempt did" in every order of end, decision, expiry and cancel', async () => {
      const puppet = new PuppetRuntime();
      engine = await createTestDispatchEngine({
        databases,
        databaseId,
        dataDir,
        runtimes: [puppet],
        profiles: [
          testProfile('gated', { runtime: 'puppet', approvalMode: 'always' }),
        ],
      });
      const { store, approvals, dispatch } = engine;

      async function perform(step: Step, run: string, attempt: string) {
        const gate = (await approvals.pendingForAttempt('acme', attempt))[0];
        switch (step) {
          case 'end-succeeded':
            return puppet.end(attempt, {
              phase: 'Succeeded',
              reason: 'Completed',
            });
          case 'end-failed':
            return puppet.end(attempt, {
              phase: 'Failed',
              reason: 'TimedOut',
              message: 'The attempt ran out of its budget',
            });
          case 'approve':
          case 'reject':
            return (
              gate &&
              approvals.decide({
                approval: gate,
                verdict: step,
                actor: APPROVER,
              })
            );
          case 'expire':
            if (gate) {
              // The gate's hour passes.
              await store.updateStatus(
                {
                  ...gate,
                  status: {
                    ...gate.status,
                    expiresAt: new Date(0).toISOString(),
                  },
                },
                { actor: 'test' },
              );
            }
            return approvals.expireDue();
          case 'cancel':
            return dispatch.act(
              (await store.get(
                'AgentDispatchRun',
                'acme',
                run,
              )) as AgentDispatchRun,
              'cancel',
              { actor: REQUESTER },
            );
          default:
            throw new Error(step);
        }
      }

      /**
       * Plays the steps in order: after each, the next waits for it to settle or races it
       * after a few ms, as `gaps` (drawn from the seed) say.
       */
      async function play({ steps, gaps }: { steps: Step[]; gaps: number[] }) {
        const run = (await dispatchRun('gated')).metadata.name;
        const attempt = `${run}-1`;
        await until(
          async () => (await approvals.pendingForAttempt('acme', attempt))[0],
        );
        const started: Promise<unknown>[] = [];
        for (const [i, step] of steps.entries()) {
          const done = perform(step, run, attempt).catch(error => {
            // Refused because an earlier step got there first: that is the point.
            if (!(error instanceof ConflictError)) throw error;
          });
          started.push(done);
          if (gaps[i] < 0) {
            await done;
          } else {
            await sleep(gaps[i]);
          }
        }
        await Promise.all(started);
        await attemptReleased(attempt);
        return { run, steps };
      }

      // A fixed sample of the 174 orders, each with its gaps, the same on every run: all of them
      // on every database would take too long.
      const random = seededRandom(20);
      const sample = everyOrder()
        .map(steps => ({ steps, rank: random() }))
        .sort((a, b) => a.rank - b.rank)
        .slice(0, SAMPLE_SIZE)
        .map(({ steps }) => ({
          steps,
          gaps: steps.map(() =>
            random() < 0.5 ? -1 : Math.floor(random() * 4),
          ),
        }));
      const played: { run: string; steps: Step[] }[] = [];
      for (let i = 0; i < sample.length; i += 16) {
        played.push(...(await Promise.all(sample.slice(i, i + 16).map(play))));
      }
      await sleep(200);

      const violations: string[] = [];
      for (const { run, steps } of played) {
        for (const problem of await violationsOf(run)) {
          violations.push(`${steps.join(' → ')}: ${problem}`);
        }
      }
      expect(violations).toEqual([]);
    });
  },
);
