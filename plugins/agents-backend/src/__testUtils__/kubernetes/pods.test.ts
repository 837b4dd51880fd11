import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  AuthorizationV1Api,
  CoreV1Api,
  Log,
  RbacAuthorizationV1Api,
  V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { until } from '../until';
import { KubernetesDouble, startKubernetesDouble } from './index';

function pod(
  name: string,
  script: string,
  extra: Partial<V1Pod['spec']> = {},
): V1Pod {
  return {
    metadata: { name, labels: { app: 'test' } },
    spec: {
      restartPolicy: 'Never',
      containers: [
        { name: 'main', image: 'busybox', command: ['sh', '-c', script] },
      ],
      ...extra,
    } as V1Pod['spec'],
  };
}

function pidOf(current: V1Pod): number {
  return Number(
    current.status?.containerStatuses?.[0]?.containerID?.replace(
      'local://',
      '',
    ),
  );
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Kubernetes API server double: pods as local processes', () => {
  let double: KubernetesDouble;
  let core: CoreV1Api;
  let scratch: string;

  beforeEach(async () => {
    double = await startKubernetesDouble();
    core = double.kubeConfig().makeApiClient(CoreV1Api);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pods-test-'));
  });

  afterEach(async () => {
    await double.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const read = (name: string) =>
    core.readNamespacedPod({ namespace: 'default', name });
  const untilPhase = (name: string, phases: string[]) =>
    until(
      () => read(name),
      p => phases.includes(p.status?.phase ?? ''),
    );

  it('ends Failed with the exit code and keeps stdout and stderr in the log', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('fails', 'echo hi; echo err >&2; exit 3'),
    });
    const done = await untilPhase('fails', ['Succeeded', 'Failed']);
    expect(done.status?.phase).toBe('Failed');
    expect(done.status?.startTime).toBeTruthy();
    const terminated = done.status?.containerStatuses?.[0].state?.terminated;
    expect(terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(terminated?.startedAt).toBeTruthy();
    expect(terminated?.finishedAt).toBeTruthy();
    const log = await core.readNamespacedPodLog({
      namespace: 'default',
      name: 'fails',
    });
    expect(log.split('\n').sort()).toEqual(['', 'err', 'hi']);
    const tail = await core.readNamespacedPodLog({
      namespace: 'default',
      name: 'fails',
      tailLines: 1,
      timestamps: true,
    });
    expect(tail).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z (hi|err)\n$/);
  });

  it('runs init containers first and reports each phase change as a MODIFIED event', async () => {
    const phases: string[] = [];
    const controller = await new Watch(double.kubeConfig()).watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: '0' },
      (type, object: V1Pod) => phases.push(`${type} ${object.status?.phase}`),
      () => undefined,
    );
    try {
      await core.createNamespacedPod({
        namespace: 'default',
        body: pod('ordered', 'cat $(MARKER)', {
          initContainers: [
            {
              name: 'prepare',
              image: 'busybox',
              command: ['sh', '-c', 'echo prepared > /work/marker'],
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          ],
          volumes: [{ name: 'work', emptyDir: {} }],
          containers: [
            {
              name: 'main',
              image: 'busybox',
              command: ['sh', '-c', 'cat $(MARKER)'],
              env: [{ name: 'MARKER', value: '/work/marker' }],
              volumeMounts: [{ name: 'work', mountPath: '/work' }],
            },
          ],
        }),
      });
      const done = await untilPhase('ordered', ['Succeeded', 'Failed']);
      expect(done.status?.phase).toBe('Succeeded');
      expect(
        done.status?.initContainerStatuses?.[0].state?.terminated,
      ).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(
        await core.readNamespacedPodLog({
          namespace: 'default',
          name: 'ordered',
          container: 'main',
        }),
      ).toBe('prepared\n');
      await until(
        async () => phases,
        p => p.includes('MODIFIED Succeeded'),
      );
      expect(phases[0]).toBe('ADDED Pending');
      expect(phases).toContain('MODIFIED Running');
    } finally {
      controller.abort();
    }
  });

  it('streams a slow pod log with follow until the container exits', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('slow', 'echo one; sleep 1; echo two; sleep 1; echo three'),
    });
    await untilPhase('slow', ['Running', 'Succeeded']);
    const stream = new PassThrough();
    let received = '';
    const phaseWhenFirstLineArrived: string[] = [];
    stream.on('data', chunk => {
      if (!received)
        read('slow').then(p =>
          phaseWhenFirstLineArrived.push(p.status?.phase ?? ''),
        );
      received += chunk;
    });
    const ended = new Promise(resolve => stream.on('end', resolve));
    await new Log(double.kubeConfig()).log('default', 'slow', 'main', stream, {
      follow: true,
    });
    await ended;
    expect(received).toBe('one\ntwo\nthree\n');
    expect(phaseWhenFirstLineArrived).toEqual(['Running']);
  });

  it('terminates a deleted pod: SIGTERM, SIGKILL after the grace period, then DELETED', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('sleeper', 'sleep 60'),
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('stubborn', 'trap "" TERM; sleep 60'),
    });
    const sleeper = pidOf(
      await until(
        () => read('sleeper'),
        p => p.status?.phase === 'Running',
      ),
    );
    const stubborn = pidOf(
      await until(
        () => read('stubborn'),
        p => p.status?.phase === 'Running',
      ),
    );
    expect(isAlive(sleeper)).toBe(true);

    const deletedEvents: string[] = [];
    const controller = await new Watch(double.kubeConfig()).watch(
      '/api/v1/namespaces/default/pods',
      {},
      (type, object: V1Pod) => {
        if (type === 'DELETED') deletedEvents.push(object.metadata?.name ?? '');
      },
      () => undefined,
    );
    try {
      const answer = await core.deleteNamespacedPod({
        namespace: 'default',
        name: 'sleeper',
      });
      expect(answer.metadata?.deletionTimestamp).toBeTruthy();
      await until(
        async () => deletedEvents,
        events => events.includes('sleeper'),
      );
      expect(isAlive(sleeper)).toBe(false);

      const started = Date.now();
      await core.deleteNamespacedPod({
        namespace: 'default',
        name: 'stubborn',
        gracePeriodSeconds: 1,
      });
      await until(
        async () => deletedEvents,
        events => events.includes('stubborn'),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(isAlive(stubborn)).toBe(false);
      await expect(read('stubborn')).rejects.toMatchObject({ code: 404 });
    } finally {
      controller.abort();
    }
  });

  it('mounts configMap, secret and hostPath volumes and resolves env from secrets, config maps and fields', async () => {
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: {
        metadata: { name: 'settings' },
        data: { greeting: 'hello from config', mode: 'fast' },
      },
    });
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'creds' }, stringData: { token: 's3cret' } },
    });
    await core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'mounts', labels: { team: 'payments' } },
        spec: {
          restartPolicy: 'Never',
          volumes: [
            { name: 'config', configMap: { name: 'settings' } },
            { name: 'creds', secret: { secretName: 'creds' } },
            { name: 'out', hostPath: { path: scratch } },
          ],
          containers: [
            {
              name: 'main',
              image: 'busybox',
              workingDir: '/out',
              command: ['sh', '-c'],
              args: [
                'cat /etc/config/greeting > copy.txt; cat /etc/creds/token >> copy.txt; echo "$POD $NS $TEAM $TOKEN $MODE" > env.txt; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace > sa.txt',
              ],
              env: [
                {
                  name: 'POD',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
                },
                {
                  name: 'NS',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
                {
                  name: 'TEAM',
                  valueFrom: {
                    fieldRef: { fieldPath: "metadata.labels['team']" },
                  },
                },
                {
                  name: 'TOKEN',
                  valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } },
                },
                {
                  name: 'MODE',
                  valueFrom: {
                    configMapKeyRef: { name: 'settings', key: 'mode' },
                  },
                },
              ],
              volumeMounts: [
                { name: 'config', mountPath: '/etc/config' },
                { name: 'creds', mountPath: '/etc/creds' },
                { name: 'out', mountPath: '/out' },
              ],
            },
          ],
        },
      },
    });
    const done = await untilPhase('mounts', ['Succeeded', 'Failed']);
    expect(done.status?.phase).toBe('Succeeded');
    expect(fs.readFileSync(path.join(scratch, 'copy.txt'), 'utf8')).toBe(
      'hello from configs3cret',
    );
    expect(fs.readFileSync(path.join(scratch, 'env.txt'), 'utf8')).toBe(
      'mounts default payments s3cret fast\n',
    );
    expect(fs.readFileSync(path.join(scratch, 'sa.txt'), 'utf8')).toBe(
      'default',
    );
  });

  it('keeps a pod Pending while its config map is missing, and refuses an unknown service account', async () => {
    await core.createNamespacedPod({
      namespace: 'default',
      body: pod('waits', 'cat /cfg/a', {
        volumes: [{ name: 'cfg', configMap: { name: 'later' } }],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'cat /cfg/a'],
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
          },
        ],
      }),
    });
    await until(
      () => read('waits'),
      p =>
        p.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        'ContainerCreating',
    );
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'later' }, data: { a: 'arrived' } },
    });
    await untilPhase('waits', ['Succeeded']);
    expect(
      await core.readNamespacedPodLog({ namespace: 'default', name: 'waits' }),
    ).toBe('arrived');

    const unknown = core.createNamespacedPod({
      namespace: 'default',
      body: pod('nosa', 'true', { serviceAccountName: 'ghost' }),
    });
    await expect(unknown).rejects.toMatchObject({ code: 403 });
  });

  it('applies RBAC to a service account, resourceNames included, and SubjectAccessReview agrees', async () => {
    const rbac = double.kubeConfig();
    await core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'runner' } },
    });
    for (const name of ['allowed', 'hidden']) {
      await core.createNamespacedSecret({
        namespace: 'default',
        body: { metadata: { name }, stringData: { v: name } },
      });
    }
    const rbacApi = rbac.makeApiClient(RbacAuthorizationV1Api);
    await rbacApi.createNamespacedRole({
      namespace: 'default',
      body: {
        metadata: { name: 'one-secret' },
        rules: [
          {
            apiGroups: [''],
            resources: ['secrets'],
            verbs: ['get'],
            resourceNames: ['allowed'],
          },
        ],
      },
    });
    await rbacApi.createNamespacedRoleBinding({
      namespace: 'default',
      body: {
        metadata: { name: 'runner-one-secret' },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'one-secret',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'runner', namespace: 'default' },
        ],
      },
    });

    const serviceAccount = double.kubeConfigFor(
      'system:serviceaccount:default:runner',
      ['system:serviceaccounts', 'system:serviceaccounts:default'],
    );
    const asRunner = serviceAccount.kubeConfig.makeApiClient(CoreV1Api);
    const allowed = await asRunner.readNamespacedSecret({
      namespace: 'default',
      name: 'allowed',
    });
    expect(Buffer.from(allowed.data?.v ?? '', 'base64').toString()).toBe(
      'allowed',
    );
    const hidden = await asRunner
      .readNamespacedSecret({ namespace: 'default', name: 'hidden' })
      .catch(e => e);
    expect(hidden.code).toBe(403);
    expect(JSON.parse(hidden.body)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message:
        'secrets "hidden" is forbidden: User "system:serviceaccount:default:runner" cannot get resource "secrets" in API group "" in the namespace "default"',
    });
    await expect(
      asRunner.listNamespacedSecret({ namespace: 'default' }),
    ).rejects.toMatchObject({ code: 403 });

    const reviews = rbac.makeApiClient(AuthorizationV1Api);
    const review = (name: string) =>
      reviews.createSubjectAccessReview({
        body: {
          spec: {
            user: 'system:serviceaccount:default:runner',
            groups: ['system:serviceaccounts'],
            resourceAttributes: {
              namespace: 'default',
              verb: 'get',
              resource: 'secrets',
              name,
            },
          },
        },
      });
    expect((await review('allowed')).status?.allowed).toBe(true);
    expect((await review('hidden')).status?.allowed).toBe(false);
    const self = await serviceAccount.kubeConfig
      .makeApiClient(AuthorizationV1Api)
      .createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: {
              namespace: 'default',
              verb: 'get',
              resource: 'secrets',
              name: 'allowed',
            },
          },
        },
      });
    expect(self.status?.allowed).toBe(true);
  });
});
