import { AgentApproval, AgentDispatchRun } from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApprovalService } from '../../approvals/ApprovalService';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import {
  startTestDispatchEngine,
  storeStacks,
} from '../../__testUtils__/testDispatchEngine';
import { until } from '../../__testUtils__/until';
import { ResourceStore } from '../../resources/ResourceStore';
import { ScriptedRuntime } from '../../runtimes/scripted';
import { startDecisionsServer } from './__testUtils__/decisionsServer';
import {
  createPodNamespace,
  POD_NAMESPACE,
  podProfile,
  runtimeEvents,
  testPlacement,
  testPool,
} from './__testUtils__/podTestKit';
import { runnerPodName } from './podNames';

jest.setTimeout(90_000);

const databases = createTestDatabases();
const ACTOR = 'user:default/alice';
const APPROVER = 'user:default/bob';

const GATED = {
  name: 'gated',
  spec: { approvalRequired: ['shell'] },
};

/** A script whose second step is a shell command that needs a human's approval. */
function gatedProfile(
  stack: string,
  overrides: Partial<LaunchProfile> = {},
): LaunchProfile {
  return podProfile(
    stack,
    [
      { say: 'before' },
      { shell: 'echo approved > approved.txt' },
      { say: 'after' },
    ],
    { toolProfile: GATED, approvers: ['group:default/ops'], ...overrides },
  );
}

describe.each(databases.eachSupportedId())(
  'approvals asked from a runner pod on %p',
  databaseId => {
    let double: KubernetesDouble;
    let kubeConfig: KubeConfig;
    let core: CoreV1Api;
    let dataDir: string;
    let runsRoot: string;
    let knex: any;
    let store: ResourceStore;
    let decisions: Awaited<ReturnType<typeof startDecisionsServer>>;
    const engines: Awaited<ReturnType<typeof startTestDispatchEngine>>[] = [];

    beforeEach(async () => {
      double = await startKubernetesDouble();
      kubeConfig = double.kubeConfig();
      core = kubeConfig.makeApiClient(CoreV1Api);
      await createPodNamespace(kubeConfig);
      dataDir = fs.realpathSync(
        fs.mkdtempSync(path.join(os.tmpdir(), 'krate-pod-approvals-')),
      );
      runsRoot = path.join(dataDir, 'runs');
      fs.mkdirSync(runsRoot);
      const created = await createTestStore(databases, databaseId);
      knex = created.db.knex;
      store = created.store;
      decisions = await startDecisionsServer({ kubeConfig, store });
    });
    afterEach(async () => {
      for (const engine of engines.splice(0)) await engine.worker.stop();
      await decisions.stop();
      await double.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function startInstance(instance: string, profiles: LaunchProfile[]) {
      const engine = await startTestDispatchEngine({
        instance,
        knex,
        store,
        runsRoot,
        runtimes: [new ScriptedRuntime()],
        profiles,
        placement: testPlacement({
          kubeConfig,
          store,
          pools: [testPool(runsRoot, { backendUrl: decisions.url })],
        }),
      });
      engines.push(engine);
      return engine;
    }

    async function stopInstance(
      engine: Awaited<ReturnType<typeof startTestDispatchEngine>>,
    ) {
      await engine.worker.stop();
      engines.splice(engines.indexOf(engine), 1);
    }

    async function dispatch(
      engine: Awaited<ReturnType<typeof startTestDispatchEngine>>,
      stack: string,
    ) {
      const { dispatch: service } = engine;
      const run = await service.dispatch(
        service.draftRun(
          { namespace: 'acme', stack, prompt: 'Build it' },
          ACTOR,
        ),
        ACTOR,
      );
      return run.metadata.name;
    }

    async function runOf(name: string) {
      return (await store.get(
        'AgentDispatchRun',
        'acme',
        name,
      )) as AgentDispatchRun;
    }

    async function finished(name: string) {
      return until(
        () => runOf(name),
        run =>
          ['Succeeded', 'Failed', 'Cancelled'].includes(
            run?.status?.phase as string,
          ),
      );
    }

    async function attemptOf(name: string) {
      const run = await until(
        () => runOf(name),
        r => Boolean(r.status?.currentAttempt),
      );
      return run.status!.currentAttempt!;
    }

    async function approvalsOf(attempt: string) {
      return new ApprovalService({
        store,
        expireAfterMs: 60_000,
      }).forAttempt('acme', attempt);
    }

    /** Waits for the attempt's approvals until `count` are pending; answers them all. */
    async function pending(attempt: string, count = 1) {
      return until(
        () => approvalsOf(attempt),
        list =>
          list.filter(a => a.status?.state === 'pending').length === count,
      );
    }

    function eventsOf(run: string) {
      return engines[0]!.parts.events.read(
        { namespace: 'acme', run },
        { sinceSeq: 0, limit: 10_000 },
      );
    }

    function decide(
      approval: AgentApproval,
      verdict: 'approve' | 'reject',
      reason?: string,
    ) {
      return new ApprovalService({ store, expireAfterMs: 60_000 }).decide({
        approval,
        verdict,
        actor: APPROVER,
        ...(reason ? { reason } : {}),
      });
    }

    it('opens one approval as the host would, waits Waiting, and runs the step once it is approved', async () => {
      const profile = gatedProfile('gated');
      await storeStacks(store, [profile]);
      const engine = await startInstance('instance-1', [profile]);
      const run = await dispatch(engine, 'gated');
      const attempt = await attemptOf(run);
      const [approval] = await pending(attempt);

      expect(approval.spec).toMatchObject({
        actionClass: 'shell',
        target: 'echo approved > approved.txt',
        toolName: 'Bash',
        interactionId: 'scripted-step-1',
        requester: ACTOR,
        policySource: 'AgentToolProfile/gated',
        requesterMayApprove: false,
        approvers: ['group:default/ops'],
        run,
        attempt,
      });
      const waiting = await until(
        () => runOf(run),
        r => r.status?.phase === 'Waiting',
      );
      expect(waiting.status).toMatchObject({ reason: 'ApprovalBlocked' });
      const workDir = path.join(runsRoot, 'acme', run);
      expect(fs.existsSync(path.join(workDir, 'approved.txt'))).toBe(false);

      await decide(approval, 'approve', 'looks safe');
      const ended = await finished(run);
      expect(ended.status).toMatchObject({
        phase: 'Succeeded',
        reason: 'Completed',
      });
      expect(fs.readFileSync(path.join(workDir, 'approved.txt'), 'utf8')).toBe(
        'approved\n',
      );
      expect(await approvalsOf(attempt)).toHaveLength(1);
      const events = await eventsOf(run);
      const gates = events.filter(e =>
        ['approval_requested', 'approval_decided'].includes(e.type),
      );
      expect(gates).toEqual([
        expect.objectContaining({
          type: 'approval_requested',
          approval: approval.metadata.name,
          actionClass: 'shell',
          target: 'echo approved > approved.txt',
          policySource: 'AgentToolProfile/gated',
        }),
        expect.objectContaining({
          type: 'approval_decided',
          approval: approval.metadata.name,
          decision: 'approved',
          decidedBy: APPROVER,
          reason: 'looks safe',
        }),
      ]);
      const phases = events
        .filter(e => e.type === 'attempt_phase')
        .map(e => (e as any).phase);
      // Back to Running once decided, as on the host.
      expect(phases).toContain('Waiting');
      expect(phases.lastIndexOf('Running')).toBeGreaterThan(
        phases.indexOf('Waiting'),
      );
      expect(
        events.some(e => e.type === 'text' && (e as any).text === 'after'),
      ).toBe(true);
    });

    it('denies the step when the approval is rejected, ending as the same script ends on the host', async () => {
      const inPod = gatedProfile('gated');
      const onHost = gatedProfile('local', { runnerPolicy: undefined });
      await storeStacks(store, [inPod, onHost]);
      const engine = await startInstance('instance-1', [inPod, onHost]);
      const results = [];
      for (const stack of ['gated', 'local']) {
        const run = await dispatch(engine, stack);
        const attempt = await attemptOf(run);
        const [approval] = await pending(attempt);
        await decide(approval, 'reject', 'not today');
        const ended = await finished(run);
        results.push({
          status: {
            phase: ended.status?.phase,
            reason: ended.status?.reason,
            message: ended.status?.message,
          },
          events: runtimeEvents(await eventsOf(run)).map(e =>
            e.type === 'approval_decided'
              ? { type: e.type, decision: (e as any).decision }
              : { type: e.type },
          ),
          wrote: fs.existsSync(
            path.join(runsRoot, 'acme', run, 'approved.txt'),
          ),
        });
      }
      const [pod, host] = results;
      expect(pod.status).toMatchObject({
        phase: 'Failed',
        reason: 'ApprovalRejected',
      });
      expect(pod.status.message).toContain('not today');
      expect(pod).toEqual(host);
      expect(pod.wrote).toBe(false);
    });

    it('denies with the reason when the approval is voided or expires, as on the host', async () => {
      const profile = podProfile(
        'lapsing',
        [
          { shell: 'echo one > one.txt', onDenied: 'continue' },
          { shell: 'echo two > two.txt' },
        ],
        { toolProfile: GATED },
      );
      await storeStacks(store, [profile]);
      const engine = await startInstance('instance-1', [profile]);
      const run = await dispatch(engine, 'lapsing');
      const attempt = await attemptOf(run);
      const service = new ApprovalService({ store, expireAfterMs: 60_000 });
      const [first] = await pending(attempt);
      await service.void(first, 'the request was superseded');
      const second = await until(
        () => approvalsOf(attempt),
        list => list.length === 2,
      ).then(list => list.find(a => a.metadata.name !== first.metadata.name)!);
      // Its time passes with nobody deciding; the decisions route expires it.
      await store.updateStatus(
        {
          ...second,
          status: {
            ...second.status,
            expiresAt: new Date(Date.now() - 1000).toISOString(),
          },
        },
        { actor: 'test' },
      );
      const ended = await finished(run);
      expect(ended.status).toMatchObject({
        phase: 'Failed',
        reason: 'ApprovalRejected',
      });
      expect(ended.status?.message).toContain(
        'the approval expired without a decision',
      );
      const decided = (await eventsOf(run)).filter(
        e => e.type === 'approval_decided',
      );
      expect(decided).toEqual([
        expect.objectContaining({
          decision: 'rejected',
          reason: 'the approval is void: the request was superseded',
        }),
        expect.objectContaining({
          decision: 'expired',
          reason: 'the approval expired without a decision',
        }),
      ]);
      expect(
        (await service.get('acme', second.metadata.name))?.status?.state,
      ).toBe('expired');
      for (const file of ['one.txt', 'two.txt']) {
        expect(fs.existsSync(path.join(runsRoot, 'acme', run, file))).toBe(
          false,
        );
      }
    });

    it('deletes the pod on cancel while it waits, and closes the approval', async () => {
      const profile = gatedProfile('gated');
      await storeStacks(store, [profile]);
      const engine = await startInstance('instance-1', [profile]);
      const run = await dispatch(engine, 'gated');
      const attempt = await attemptOf(run);
      const [approval] = await pending(attempt);
      await engine.dispatch.act(await runOf(run), 'cancel', { actor: ACTOR });
      const ended = await finished(run);
      expect(ended.status?.phase).toBe('Cancelled');
      await until(
        () =>
          core
            .readNamespacedPod({
              namespace: POD_NAMESPACE,
              name: runnerPodName(attempt),
            })
            .then(() => false)
            .catch(error => error.code === 404),
        Boolean,
      );
      const closed = await until(
        () => approvalsOf(attempt),
        list => list[0]?.status?.state !== 'pending',
      );
      expect(closed).toEqual([
        expect.objectContaining({
          metadata: expect.objectContaining({ name: approval.metadata.name }),
          status: expect.objectContaining({ state: 'expired' }),
        }),
      ]);
    });

    it('keeps one approval across a restart: decided after the restart, and decided while the backend was down', async () => {
      const profile = podProfile(
        'twice',
        [
          { shell: 'echo one > one.txt' },
          { shell: 'echo two > two.txt' },
          { say: 'done' },
        ],
        { toolProfile: GATED },
      );
      await storeStacks(store, [profile]);
      const first = await startInstance('instance-1', [profile]);
      const run = await dispatch(first, 'twice');
      const attempt = await attemptOf(run);
      await pending(attempt);

      // Restart while the first approval is pending; it is decided after the restart.
      await stopInstance(first);
      const second = await startInstance('instance-2', [profile]);
      await until(
        () => eventsOf(run),
        events =>
          events.some(
            e => e.type === 'warning' && (e as any).code === 'Reattached',
          ),
      );
      const [one] = await pending(attempt);
      await decide(one, 'approve');
      const [, two] = await until(
        () => approvalsOf(attempt),
        list => list.length === 2,
      ).then(list =>
        list.sort((a, b) =>
          String(a.spec.interactionId).localeCompare(
            String(b.spec.interactionId),
          ),
        ),
      );
      expect(two.status?.state).toBe('pending');

      // The backend goes down (dispatch and the decisions route); the approval is decided
      // meanwhile, and the pod hears of it once the backend is back.
      await stopInstance(second);
      await decisions.stop();
      await decide(two, 'approve');
      await new Promise(resolve => setTimeout(resolve, 1500));
      expect(fs.existsSync(path.join(runsRoot, 'acme', run, 'two.txt'))).toBe(
        false,
      );
      decisions = await startDecisionsServer({
        kubeConfig,
        store,
        port: decisions.port,
      });
      await startInstance('instance-3', [profile]);

      const ended = await finished(run);
      expect(ended.status).toMatchObject({
        phase: 'Succeeded',
        reason: 'Completed',
      });
      expect(
        fs.readFileSync(path.join(runsRoot, 'acme', run, 'two.txt'), 'utf8'),
      ).toBe('two\n');
      const approvals = await approvalsOf(attempt);
      expect(approvals.map(a => a.spec.interactionId).sort()).toEqual([
        'scripted-step-0',
        'scripted-step-1',
      ]);
      const events = await eventsOf(run);
      const count = (type: string) =>
        events.filter(e => e.type === type).length;
      expect(count('approval_requested')).toBe(2);
      expect(count('approval_decided')).toBe(2);
      expect(
        double.requests.filter(
          r =>
            r.method === 'POST' &&
            r.path === `/api/v1/namespaces/${POD_NAMESPACE}/pods`,
        ),
      ).toHaveLength(1);
    });

    it('answers only the runner, with its credential: an absent or forged one is 401 and tells nothing', async () => {
      const profile = gatedProfile('gated');
      await storeStacks(store, [profile]);
      const engine = await startInstance('instance-1', [profile]);
      const run = await dispatch(engine, 'gated');
      const attempt = await attemptOf(run);
      const [approval] = await pending(attempt);
      const podName = runnerPodName(attempt);
      const secret = await core.readNamespacedSecret({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const credential = Buffer.from(
        secret.data!.credential,
        'base64',
      ).toString('utf8');
      const url = (who: string) =>
        `${decisions.url}/api/agents/runner-pods/acme/${who}/decision?interactionId=scripted-step-1`;
      const ask = (who: string, authorization?: string) =>
        fetch(url(who), {
          headers: authorization ? { authorization } : {},
        }).then(async r => ({ status: r.status, body: await r.text() }));

      const answers = [
        await ask(attempt),
        await ask(attempt, `Bearer ${credential.slice(0, -2)}xx`),
        await ask(attempt, `Basic ${credential}`),
        await ask('another-attempt', `Bearer ${credential}`),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.body).not.toContain(approval.metadata.name);
        expect(answer.body).not.toContain('echo approved');
      }
      expect(
        new Set(answers.map(a => JSON.parse(a.body).error.message)),
      ).toEqual(new Set(['A runner credential for this attempt is required']));
      const own = await ask(attempt, `Bearer ${credential}`);
      expect(own.status).toBe(200);
      expect(JSON.parse(own.body)).toEqual({
        state: 'pending',
        approval: approval.metadata.name,
      });

      // The credential is in the attempt's Secret only: not in the pod's spec, its launch
      // file, the attempt, the approval, the events or the pod's log.
      const pod = await core.readNamespacedPod({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const configMap = await core.readNamespacedConfigMap({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      await decide(approval, 'approve');
      await finished(run);
      const log = await core.readNamespacedPodLog({
        namespace: POD_NAMESPACE,
        name: podName,
      });
      const everything = JSON.stringify([
        pod,
        configMap,
        await store.get('AgentDispatchAttempt', 'acme', attempt),
        await approvalsOf(attempt),
        await eventsOf(run),
        log,
      ]);
      expect(everything).not.toContain(credential);
      expect(log).toContain('"approval":{');
    });
  },
);
