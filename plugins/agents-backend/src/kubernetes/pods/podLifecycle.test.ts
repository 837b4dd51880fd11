import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestStore } from '../../__testUtils__/createTestStore';
import {
  KubernetesDouble,
  startKubernetesDouble,
} from '../../__testUtils__/kubernetes';
import { processGone } from '../../__testUtils__/scriptedTestKit';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { until } from '../../__testUtils__/until';
import { ResourceStore } from '../../resources/ResourceStore';
import { ScriptedRuntime } from '../../runtimes/scripted';
import {
  startTestDispatchEngine,
  storeStacks,
} from '../../__testUtils__/testDispatchEngine';
import {
  createPodNamespace,
  localEventTypes,
  POD_NAMESPACE,
  podProfile,
  runtimeEvents,
  testPlacement,
  testPool,
} from './__testUtils__/podTestKit';
import { runnerPodName } from './podNames';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ACTOR = 'user:default/alice';

describe.each(databases.eachSupportedId())(
  'a runner pod across cancel and restart on %p',
  databaseId => {
    let double: KubernetesDouble;
    let kubeConfig: KubeConfig;
    let core: CoreV1Api;
    let dataDir: string;
    let runsRoot: string;
    let knex: any;
    let store: ResourceStore;
    const engines: Awaited<ReturnType<typeof startTestDispatchEngine>>[] = [];

    beforeEach(async () => {
      double = await startKubernetesDouble();
      kubeConfig = double.kubeConfig();
      core = kubeConfig.makeApiClient(CoreV1Api);
      await createPodNamespace(kubeConfig);
      dataDir = fs.realpathSync(
        fs.mkdtempSync(path.join(os.tmpdir(), 'krate-pods-')),
      );
      runsRoot = path.join(dataDir, 'runs');
      fs.mkdirSync(runsRoot);
      const created = await createTestStore(databases, databaseId);
      knex = created.db.knex;
      store = created.store;
    });
    afterEach(async () => {
      for (const engine of engines.splice(0)) await engine.worker.stop();
      await double.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    /** One backend instance; several may run one after the other on the database. */
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
          pools: [testPool(runsRoot)],
        }),
      });
      engines.push(engine);
      return engine;
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

    function eventsOf(
      engine: Awaited<ReturnType<typeof startTestDispatchEngine>>,
      run: string,
    ) {
      return engine.parts.events.read(
        { namespace: 'acme', run },
        { sinceSeq: 0, limit: 10_000 },
      );
    }

    async function podOf(name: string) {
      const run = await until(
        () => runOf(name),
        r => Boolean(r.status?.currentAttempt),
      );
      return runnerPodName(run.status!.currentAttempt!);
    }

    function podGone(name: string) {
      return core
        .readNamespacedPod({ namespace: POD_NAMESPACE, name })
        .then(() => false)
        .catch(error => error.code === 404);
    }

    it('deletes the pod on cancel: its process ends and the run ends Cancelled', async () => {
      const profile = podProfile('slow', [
        { say: 'starting' },
        { shell: 'echo $PPID > runner.pid; sleep 30' },
      ]);
      await storeStacks(store, [profile]);
      const engine = await startInstance('instance-1', [profile]);
      const { dispatch } = engine;
      const run = await dispatch.dispatch(
        dispatch.draftRun(
          { namespace: 'acme', stack: 'slow', prompt: 'Go' },
          ACTOR,
        ),
        ACTOR,
      );
      const name = run.metadata.name;
      const pidFile = path.join(runsRoot, 'acme', name, 'runner.pid');
      await until(
        async () =>
          fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim(),
        Boolean,
      );
      const runnerPid = Number(fs.readFileSync(pidFile, 'utf8'));
      const pod = await podOf(name);
      await until(
        () => eventsOf(engine, name),
        events => events.some(e => e.type === 'shell_start'),
      );
      expect(processGone(runnerPid)).toBe(false);

      const started = Date.now();
      await dispatch.act(await runOf(name), 'cancel', { actor: ACTOR });
      const ended = await finished(name);

      expect(ended.status).toMatchObject({ phase: 'Cancelled' });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(await podGone(pod)).toBe(true);
      expect(processGone(runnerPid)).toBe(true);
      expect(
        double.requests.filter(
          r => r.method === 'DELETE' && r.path.endsWith(`/pods/${pod}`),
        ),
      ).not.toHaveLength(0);
    });

    it('re-attaches to the running pod after a restart: one pod, every event once, Succeeded', async () => {
      const profile = podProfile('long', [
        { say: 'one' },
        { shell: 'sleep 3' },
        { say: 'two' },
        {
          writeFile: {
            path: 'after-restart.txt',
            content: 'written by the pod\n',
          },
        },
        { say: 'three' },
      ]);
      await storeStacks(store, [profile]);
      const first = await startInstance('instance-1', [profile]);
      const run = await first.dispatch.dispatch(
        first.dispatch.draftRun(
          { namespace: 'acme', stack: 'long', prompt: 'Go' },
          ACTOR,
        ),
        ACTOR,
      );
      const name = run.metadata.name;
      await until(
        () => eventsOf(first, name),
        events => events.some(e => e.type === 'shell_start'),
      );
      const pod = await podOf(name);

      await first.worker.stop();
      engines.splice(engines.indexOf(first), 1);
      const stillRunning = await core.readNamespacedPod({
        namespace: POD_NAMESPACE,
        name: pod,
      });
      expect(stillRunning.status?.phase).toBe('Running');
      expect((await runOf(name)).status?.phase).toBe('Running');

      const second = await startInstance('instance-2', [profile]);
      const ended = await finished(name);
      expect(ended.status).toMatchObject({
        phase: 'Succeeded',
        reason: 'Completed',
      });

      const podCreations = double.requests.filter(
        r =>
          r.method === 'POST' &&
          r.path === `/api/v1/namespaces/${POD_NAMESPACE}/pods`,
      );
      expect(podCreations).toHaveLength(1);
      const events = await eventsOf(second, name);
      expect(runtimeEvents(events).map(e => e.type)).toEqual(
        await localEventTypes(profile),
      );
      expect(
        events.filter(e => e.type === 'text').map(e => (e as any).text),
      ).toEqual(['one', 'two', 'three']);
      expect(
        events.some(
          e => e.type === 'warning' && (e as any).code === 'Reattached',
        ),
      ).toBe(true);
      expect(
        fs.readFileSync(
          path.join(runsRoot, 'acme', name, 'after-restart.txt'),
          'utf8',
        ),
      ).toBe('written by the pod\n');
    });

    it('fails RuntimeLost when the pod is gone after a restart', async () => {
      const profile = podProfile('long', [
        { say: 'one' },
        { shell: 'sleep 30' },
      ]);
      await storeStacks(store, [profile]);
      const first = await startInstance('instance-1', [profile]);
      const run = await first.dispatch.dispatch(
        first.dispatch.draftRun(
          { namespace: 'acme', stack: 'long', prompt: 'Go' },
          ACTOR,
        ),
        ACTOR,
      );
      const name = run.metadata.name;
      await until(
        () => eventsOf(first, name),
        events => events.some(e => e.type === 'shell_start'),
      );
      const pod = await podOf(name);
      await first.worker.stop();
      engines.splice(engines.indexOf(first), 1);
      await core.deleteNamespacedPod({
        namespace: POD_NAMESPACE,
        name: pod,
        gracePeriodSeconds: 0,
      });
      await until(() => podGone(pod), Boolean);

      await startInstance('instance-2', [profile]);
      const ended = await finished(name);
      expect(ended.status).toMatchObject({
        phase: 'Failed',
        reason: 'RuntimeLost',
      });
      expect(ended.status?.message).toContain(pod);
    });
  },
);
