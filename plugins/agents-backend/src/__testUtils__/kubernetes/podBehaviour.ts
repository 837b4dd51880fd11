import { KindBehaviour } from './KindBehaviour';
import { KubeApiError, StatusCause } from './KubeApiError';
import { isPlainObject, KubeObject } from './kubeObjects';
import { ObjectStore } from './ObjectStore';
import { PodRunner } from './PodRunner';

export const NODE_NAME = 'krate-double';

interface ContainerSpec {
  name?: string;
  image?: string;
}

function containerCauses(
  containers: unknown,
  field: string,
  required: boolean,
): StatusCause[] {
  const list = Array.isArray(containers) ? (containers as ContainerSpec[]) : [];
  const causes: StatusCause[] = [];
  if (required && list.length === 0)
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field,
    });
  list.forEach((container, index) => {
    if (!container.name)
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: `${field}[${index}].name`,
      });
    if (!container.image)
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: `${field}[${index}].image`,
      });
  });
  return causes;
}

function withoutImages(spec: unknown) {
  const copy = JSON.parse(JSON.stringify(spec ?? {}));
  for (const field of ['containers', 'initContainers']) {
    for (const container of copy[field] ?? []) delete container.image;
  }
  delete copy.activeDeadlineSeconds;
  return JSON.stringify(copy);
}

/**
 * Pods: API defaults, the ServiceAccount admission check, validation, an immutable spec, and
 * the runner that plays kubelet for them.
 */
export function podBehaviour(
  store: ObjectStore,
  runner: PodRunner,
): KindBehaviour {
  return {
    normalize: (pod: KubeObject, previous) => {
      if (previous) return;
      const spec = (isPlainObject(pod.spec) ? pod.spec : {}) as Record<
        string,
        any
      >;
      spec.serviceAccountName =
        spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
      spec.serviceAccount = spec.serviceAccountName;
      spec.restartPolicy = spec.restartPolicy ?? 'Always';
      spec.terminationGracePeriodSeconds =
        spec.terminationGracePeriodSeconds ?? 30;
      spec.nodeName = spec.nodeName ?? NODE_NAME;
      pod.spec = spec;
      const namespace = pod.metadata.namespace ?? '';
      if (!store.get('/serviceaccounts', namespace, spec.serviceAccountName)) {
        throw KubeApiError.forbidden(
          `pods "${pod.metadata.name}" is forbidden: error looking up service account ${namespace}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
          { name: pod.metadata.name, kind: 'pods' },
        );
      }
    },
    validate: (pod, previous) => {
      const spec = (pod.spec ?? {}) as Record<string, unknown>;
      const causes = [
        ...containerCauses(spec.containers, 'spec.containers', true),
        ...containerCauses(spec.initContainers, 'spec.initContainers', false),
      ];
      if (
        previous &&
        withoutImages(previous.spec) !== withoutImages(pod.spec)
      ) {
        causes.push({
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          field: 'spec',
        });
      }
      return causes;
    },
    initialStatus: () => ({ phase: 'Pending', qosClass: 'BestEffort' }),
    created: pod => runner.start(pod),
    beginDeletion: (pod, options) =>
      runner.terminate(pod, options.gracePeriodSeconds),
    removed: pod => runner.forget(pod),
  };
}
