import { AgentLaunch } from '@krate/plugin-agents-node';
import {
  V1ConfigMap,
  V1EnvVar,
  V1Pod,
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
}

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
 * Secret keys only as secretKeyRef variables. It never restarts: a pod is one attempt.
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
        'agents.krate.dev/attempt-ref': `${launch.namespace}/${launch.attempt}`,
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
