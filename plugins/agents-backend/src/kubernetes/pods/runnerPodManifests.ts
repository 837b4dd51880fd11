import { AgentLaunch } from '@krate/plugin-agents-node';
import {
  V1ConfigMap,
  V1EnvVar,
  V1Pod,
  V1Secret,
  V1Volume,
} from '@kubernetes/client-node';
import { RunnerPool } from '../RunnerPool';
import { labelValue, PodRef } from './podNames';
import { LAUNCH_FILE_ENV, LAUNCH_FILE_KEY } from './runner/PodLaunchFile';

/** Where the launch file's ConfigMap is mounted in the runner container. */
const LAUNCH_DIR = '/var/run/krate/launch';
export const RUNNER_CONTAINER = 'runner';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'krate-agents';
/** The label `@backstage/plugin-kubernetes` finds an entity's pods by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';

export interface RunnerPodInput {
  pod: PodRef;
  pool: RunnerPool;
  launch: AgentLaunch;
  /** The launch file's content (`launch.json`). */
  launchFile: string;
  /** `<org>/<repository>` of the run, if it has one. */
  repository?: string;
  /** The name of the repository's catalog component, if the catalog declares it. */
  component?: string;
  /** The secretKeyRef variables the grants give the runner's service account. */
  secretEnv: V1EnvVar[];
  /**
   * The runner's own variables: where it reads decisions, and `secretKeyRef`s to the attempt's
   * Secret for its credential and the launch's granted values.
   */
  runnerEnv: V1EnvVar[];
  /** The attempt's Secret's data: the runner's credential and the granted values. */
  secretData: Record<string, string>;
}

/** The annotation naming the attempt a pod, ConfigMap or Secret belongs to. */
export const ATTEMPT_REF_ANNOTATION = 'agents.krate.dev/attempt-ref';

function labelsOf(input: RunnerPodInput): Record<string, string> {
  const { launch, repository, component } = input;
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    'agents.krate.dev/org': labelValue(launch.namespace),
    'agents.krate.dev/run': labelValue(launch.run),
    'agents.krate.dev/attempt': labelValue(launch.attempt),
    ...(repository
      ? { 'agents.krate.dev/repository': labelValue(repository) }
      : {}),
    ...(component ? { [KUBERNETES_ID_LABEL]: labelValue(component) } : {}),
  };
}

function workspaceVolume(pool: RunnerPool): V1Volume {
  const { persistentVolumeClaim, hostPath } = pool.workspaceVolume;
  return persistentVolumeClaim
    ? {
        name: 'workspace',
        persistentVolumeClaim: { claimName: persistentVolumeClaim },
      }
    : { name: 'workspace', hostPath: { path: hostPath!, type: 'Directory' } };
}

/**
 * The per-attempt Secret: the runner's credential for reading its attempt's decisions and the
 * values granted to the launch's consumers. Only the runner container references it; it is
 * deleted when the attempt ends.
 */
export function runnerSecret(input: RunnerPodInput): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: input.pod.name,
      namespace: input.pod.namespace,
      labels: labelsOf(input),
      annotations: {
        [ATTEMPT_REF_ANNOTATION]: `${input.launch.namespace}/${input.launch.attempt}`,
      },
    },
    data: Object.fromEntries(
      Object.entries(input.secretData).map(([key, value]) => [
        key,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

/** The per-attempt ConfigMap holding the launch file. */
export function runnerConfigMap(input: RunnerPodInput): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: input.pod.name,
      namespace: input.pod.namespace,
      labels: labelsOf(input),
    },
    data: { [LAUNCH_FILE_KEY]: input.launchFile },
  };
}

/**
 * The runner pod of an attempt: the pool's image, command and resources under the runner's
 * service account, the workspace volume mounted at the path the backend knows it by (so the
 * working directory is the same path inside), the launch file from its ConfigMap, and granted
 * Secret keys (and the attempt's own Secret) only as secretKeyRef variables. It never restarts:
 * a pod is one attempt.
 */
export function runnerPod(input: RunnerPodInput): V1Pod {
  const { pod, pool, launch } = input;
  const serviceAccount = launch.profile.runnerServiceAccount;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: labelsOf(input),
      annotations: {
        'agents.krate.dev/pool': pool.name,
        [ATTEMPT_REF_ANNOTATION]: `${launch.namespace}/${launch.attempt}`,
      },
    },
    spec: {
      restartPolicy: 'Never',
      ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}),
      terminationGracePeriodSeconds: pool.terminationGracePeriodSeconds,
      ...(pool.imagePullSecrets.length
        ? { imagePullSecrets: pool.imagePullSecrets.map(name => ({ name })) }
        : {}),
      containers: [
        {
          name: RUNNER_CONTAINER,
          image: pool.image,
          command: pool.command,
          workingDir: launch.workingDirectory,
          env: [
            {
              name: LAUNCH_FILE_ENV,
              value: `${LAUNCH_DIR}/${LAUNCH_FILE_KEY}`,
            },
            ...input.runnerEnv,
            ...input.secretEnv,
          ],
          ...(pool.resources ? { resources: pool.resources } : {}),
          volumeMounts: [
            { name: 'workspace', mountPath: pool.workspaceVolume.path },
            { name: 'launch', mountPath: LAUNCH_DIR, readOnly: true },
          ],
        },
      ],
      volumes: [
        workspaceVolume(pool),
        { name: 'launch', configMap: { name: pod.name } },
      ],
    },
  };
}
