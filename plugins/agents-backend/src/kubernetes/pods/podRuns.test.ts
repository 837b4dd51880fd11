import {
  AgentDispatchAttempt,
  AgentDispatchRun,
} from '@krate/plugin-agents-common';
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
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { until } from '../../__testUtils__/until';
import { ScriptedRuntime } from '../../runtimes/scripted';
import { RunnerPool } from '../RunnerPool';
import { CuttingProxy } from '../../__testUtils__/kubernetes/CuttingProxy';
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

const WRITES = [
  { say: 'Building in a pod' },
  { shell: 'echo built > build.txt' },
  { writeFile: { path: 'notes/result.txt', content: 'done\n' } },
  { say: 'Finished' },
];

describe.each(databases.eachSupportedId())('runner pods on %p', databaseId => {
  let double: KubernetesDouble;
  let kubeConfig: KubeConfig;
  let core: CoreV1Api;
  let dataDir: string;
  let runsRoot: string;
  let engine: Awaited<ReturnType<typeof startTestDispatchEngine>> | undefined;

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
  });
  afterEach(async () => {
    await engine?.worker.stop();
    engine = undefined;
    await double.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(
    profiles: LaunchProfile[],
    pool: RunnerPool = testPool(runsRoot),
    config: KubeConfig = kubeConfig,
  ) {
    const { db, store } = await createTestStore(databases, databaseId);
    await storeStacks(store, profiles);
    engine = await startTestDispatchEngine({
      instance: 'instance-1',
      knex: db.knex,
      store,
      runsRoot,
      runtimes: [new ScriptedRuntime()],
      profiles,
      placement: testPlacement({
        kubeConfig: config,
        store,
        pools: [pool],
        components: {
          componentOf: async repository =>
            repository === 'acme/payments'
              ? { namespace: 'default', name: 'payments' }
              : undefined,
        },
      }),
    });
    return { store, engine };
  }

  async function dispatch(stack: string, repository?: string) {
    const { dispatch: service } = engine!;
    return service.dispatch(
      service.draftRun(
        {
          namespace: 'acme',
          stack,
          prompt: 'Build it',
          ...(repository ? { repository } : {}),
        },
        ACTOR,
      ),
      ACTOR,
    );
  }

  async function finished(name: string) {
    return (await until(
      () => engine!.parts.store.get('AgentDispatchRun', 'acme', name),
      run =>
        ['Succeeded', 'Failed', 'Cancelled'].includes(
          run?.status?.phase as string,
        ),
    )) as AgentDispatchRun;
  }

  async function eventsOf(run: string) {
    return engine!.parts.events.read(
      { namespace: 'acme', run },
      { sinceSeq: 0, limit: 10_000 },
    );
  }

  it("runs the attempt in a pod of the pool: the script's events, its files in the working directory, status.pod, labels, service account and granted secrets only", async () => {
    const profile = podProfile('builder', WRITES, {
      runnerServiceAccount: 'builder-runner',
    });
    const { store } = await start([profile]);
    // The RBAC projection makes the runner's ServiceAccount; here the test does.
    await core.createNamespacedServiceAccount({
      namespace: POD_NAMESPACE,
      body: { metadata: { name: 'builder-runner' } },
    });
    await core.createNamespacedSecret({
      namespace: POD_NAMESPACE,
      body: {
        metadata: { name: 'build-secrets' },
        stringData: { API_TOKEN: 't0ken', OTHER: 'x' },
      },
    });
    const grant = (
      name: string,
      keys: string[],
      subjects: object[],
      extra = {},
    ) =>
      store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentSecretGrant',
          metadata: { name, namespace: 'acme' },
          spec: {
            secretName: 'build-secrets',
            keys,
            subjects,
            purpose: 'test',
            ...extra,
          },
        },
        { actor: ACTOR },
      );
    await grant(
      'runner-token',
      ['API_TOKEN'],
      [{ kind: 'runner', name: 'builder-runner' }],
    );
    await grant(
      'someone-else',
      ['OTHER'],
      [{ kind: 'runner', name: 'another-runner' }],
    );
    await grant(
      'expired',
      ['OTHER'],
      [{ kind: 'runner', name: 'builder-runner' }],
      {
        expiresAt: '2020-01-01T00:00:00Z',
      },
    );

    const run = await dispatch('builder', 'acme/payments');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({
      phase: 'Succeeded',
      reason: 'Completed',
    });

    const attemptName = ended.status!.currentAttempt!;
    const podName = runnerPodName(attemptName);
    const pod = await core.readNamespacedPod({
      namespace: POD_NAMESPACE,
      name: podName,
    });
    expect(pod.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'krate-agents',
      'agents.krate.dev/org': 'acme',
      'agents.krate.dev/run': run.metadata.name,
      'agents.krate.dev/attempt': attemptName,
      'agents.krate.dev/repository': 'acme.payments',
      'backstage.io/kubernetes-id': 'payments',
    });
    expect(pod.spec).toMatchObject({
      serviceAccountName: 'builder-runner',
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 2,
      imagePullSecrets: [{ name: 'registry' }],
    });
    const container = pod.spec!.containers[0];
    expect(container.image).toBe('ghcr.io/krate/agent-runner:test');
    expect(container.workingDir).toBe(
      path.join(runsRoot, 'acme', run.metadata.name),
    );
    expect(container.env?.filter(e => e.valueFrom)).toEqual([
      {
        name: 'KRATE_RUNNER_CREDENTIAL',
        valueFrom: { secretKeyRef: { name: podName, key: 'credential' } },
      },
      {
        name: 'API_TOKEN',
        valueFrom: {
          secretKeyRef: { name: 'build-secrets', key: 'API_TOKEN' },
        },
      },
    ]);
    expect(container.env?.filter(e => !e.valueFrom)).toEqual([
      { name: 'KRATE_LAUNCH_FILE', value: expect.any(String) },
      {
        name: 'KRATE_DECISIONS_URL',
        value: `http://127.0.0.1:9/api/agents/runner-pods/acme/${attemptName}/decision`,
      },
    ]);
    expect(pod.status?.phase).toBe('Succeeded');

    const workDir = path.join(runsRoot, 'acme', run.metadata.name);
    expect(fs.readFileSync(path.join(workDir, 'build.txt'), 'utf8')).toBe(
      'built\n',
    );
    expect(
      fs.readFileSync(path.join(workDir, 'notes/result.txt'), 'utf8'),
    ).toBe('done\n');

    const events = await eventsOf(run.metadata.name);
    expect(runtimeEvents(events).map(e => e.type)).toEqual(
      await localEventTypes(profile),
    );
    expect(
      events.filter(e => e.type === 'text').map(e => (e as any).text),
    ).toEqual(['Building in a pod', 'Finished']);

    const attempt = (await store.get(
      'AgentDispatchAttempt',
      'acme',
      attemptName,
    )) as AgentDispatchAttempt;
    expect(attempt.status).toMatchObject({
      phase: 'Succeeded',
      runtimeRunId: `pod/${POD_NAMESPACE}/${podName}`,
      sessionId: expect.any(String),
      pod: {
        namespace: POD_NAMESPACE,
        name: podName,
        pool: 'linux',
        component: 'component:default/payments',
      },
    });
    // The launch file held the prompt, the Secret the runner's credential: they are gone with
    // the attempt.
    await expect(
      core.readNamespacedConfigMap({ namespace: POD_NAMESPACE, name: podName }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      core.readNamespacedSecret({ namespace: POD_NAMESPACE, name: podName }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('leaves the kubernetes-id label out when the repository has no catalog component', async () => {
    await start([podProfile('builder', [{ say: 'hi' }])]);
    const run = await dispatch('builder', 'acme/unknown');
    const ended = await finished(run.metadata.name);
    expect(ended.status?.phase).toBe('Succeeded');
    const pod = await core.readNamespacedPod({
      namespace: POD_NAMESPACE,
      name: runnerPodName(ended.status!.currentAttempt!),
    });
    expect(pod.metadata?.labels).not.toHaveProperty(
      'backstage.io/kubernetes-id',
    );
    // No runner service account: the namespace's default one, as the API server defaults it.
    expect(pod.spec?.serviceAccountName).toBe('default');
  });

  it("fails with the script's reason when the script fails in the pod", async () => {
    await start([
      podProfile('failing', [
        { say: 'about to fail' },
        { fail: 'The build broke' },
      ]),
    ]);
    const run = await dispatch('failing');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({
      phase: 'Failed',
      reason: 'ScriptFailed',
      message: 'The build broke',
    });
  });

  it('fails PodFailed with the last lines when the pod exits non-zero without an outcome', async () => {
    await start(
      [podProfile('crashing', [{ say: 'never' }])],
      testPool(runsRoot, {
        command: [
          '/bin/sh',
          '-c',
          'echo "runner: cannot load the launch" >&2; exit 3',
        ],
      }),
    );
    const run = await dispatch('crashing');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({
      phase: 'Failed',
      reason: 'PodFailed',
    });
    expect(ended.status?.message).toContain('exited with code 3');
    expect(ended.status?.message).toContain('runner: cannot load the launch');
  });

  it('fails WorkspaceOutsidePool, naming both paths, when the working directory is not on the volume', async () => {
    const elsewhere = path.join(dataDir, 'volume');
    fs.mkdirSync(elsewhere);
    await start([podProfile('builder', [{ say: 'hi' }])], testPool(elsewhere));
    const run = await dispatch('builder');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({
      phase: 'Failed',
      reason: 'WorkspaceOutsidePool',
    });
    expect(ended.status?.message).toContain(
      path.join(runsRoot, 'acme', run.metadata.name),
    );
    expect(ended.status?.message).toContain(elsewhere);
    expect(
      (await core.listNamespacedPod({ namespace: POD_NAMESPACE })).items,
    ).toEqual([]);
  });

  it('runs stacks without a pool on this host, as before', async () => {
    const local = podProfile('local', WRITES, { runnerPolicy: undefined });
    await start([local]);
    const run = await dispatch('local');
    const ended = await finished(run.metadata.name);
    expect(ended.status?.phase).toBe('Succeeded');
    expect(
      fs.existsSync(
        path.join(runsRoot, 'acme', run.metadata.name, 'build.txt'),
      ),
    ).toBe(true);
    expect(
      (await core.listNamespacedPod({ namespace: POD_NAMESPACE })).items,
    ).toEqual([]);
    const attempt = await engine!.parts.store.get(
      'AgentDispatchAttempt',
      'acme',
      ended.status!.currentAttempt!,
    );
    expect(attempt?.status?.pod).toBeUndefined();
  });
  function podGone(name: string) {
    return core
      .readNamespacedPod({ namespace: POD_NAMESPACE, name })
      .then(() => false)
      .catch(error => error.code === 404);
  }

  it('fails PodNotStarted and deletes the pod when it cannot start (a granted Secret is missing)', async () => {
    const profile = podProfile('builder', [{ say: 'never' }], {
      runnerServiceAccount: 'builder-runner',
    });
    const { store } = await start([profile]);
    await core.createNamespacedServiceAccount({
      namespace: POD_NAMESPACE,
      body: { metadata: { name: 'builder-runner' } },
    });
    await store.create(
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentSecretGrant',
        metadata: { name: 'token', namespace: 'acme' },
        spec: {
          secretName: 'not-there',
          keys: ['TOKEN'],
          subjects: [{ kind: 'runner', name: 'builder-runner' }],
          purpose: 'test',
        },
      },
      { actor: ACTOR },
    );
    const run = await dispatch('builder');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({
      phase: 'Failed',
      reason: 'PodNotStarted',
    });
    expect(ended.status?.message).toContain('CreateContainerConfigError');
    await until(
      () => podGone(runnerPodName(ended.status!.currentAttempt!)),
      Boolean,
    );
  });

  it('deletes the pod when the budget (runnerPolicy.timeoutSeconds) is spent: Failed TimedOut', async () => {
    await start([
      podProfile('slow', [{ say: 'starting' }, { shell: 'sleep 30' }], {
        runnerPolicy: { pool: 'linux', timeoutSeconds: 2 },
      }),
    ]);
    const run = await dispatch('slow');
    const ended = await finished(run.metadata.name);
    expect(ended.status).toMatchObject({ phase: 'Failed', reason: 'TimedOut' });
    expect(await podGone(runnerPodName(ended.status!.currentAttempt!))).toBe(
      true,
    );
  });

  it('follows a broken log stream again and stores every event once', async () => {
    const proxy = await CuttingProxy.start(double.url);
    try {
      const profile = podProfile('steady', [
        { say: 'one' },
        { shell: 'sleep 2' },
        { say: 'two' },
        { sleepMs: 500 },
        { say: 'three' },
      ]);
      await start([profile], testPool(runsRoot), proxy.configFor(kubeConfig));
      const run = await dispatch('steady');
      await until(
        () => eventsOf(run.metadata.name),
        events => events.some(e => e.type === 'shell_start'),
      );
      proxy.cutAll();
      const ended = await finished(run.metadata.name);
      expect(ended.status?.phase).toBe('Succeeded');
      const events = await eventsOf(run.metadata.name);
      expect(runtimeEvents(events).map(e => e.type)).toEqual(
        await localEventTypes(profile),
      );
      const follows = double.requests.filter(
        r => r.path.endsWith('/log') && r.query.includes('follow=true'),
      );
      expect(follows.length).toBeGreaterThan(1);
    } finally {
      await proxy.stop();
    }
  });
});
