import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { V1Pod } from '@kubernetes/client-node';
import { PodRef } from './podNames';
import { RUNNER_CONTAINER } from './runnerPodManifests';

/** Waiting reasons after which the runner container will not start without a change. */
const NOT_STARTING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

function runnerStatus(pod: V1Pod) {
  return pod.status?.containerStatuses?.find(c => c.name === RUNNER_CONTAINER);
}

/** Whether the runner container has yet to start, runs, or has ended (or the pod failed). */
export function runnerState(pod: V1Pod): 'waiting' | 'running' | 'terminated' {
  const state = runnerStatus(pod)?.state;
  if (
    state?.terminated ||
    pod.status?.phase === 'Succeeded' ||
    pod.status?.phase === 'Failed'
  ) {
    return 'terminated';
  }
  return state?.running ? 'running' : 'waiting';
}

/** Why a waiting runner pod will not start, or undefined while it still may. */
export function notStartingReason(
  pod: V1Pod,
  now: number,
  pendingTimeoutMs: number,
): string | undefined {
  const waiting = runnerStatus(pod)?.state?.waiting;
  if (waiting?.reason && NOT_STARTING.has(waiting.reason)) {
    return `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
  }
  const created = Date.parse(String(pod.metadata?.creationTimestamp ?? ''));
  if (Number.isFinite(created) && now - created > pendingTimeoutMs) {
    const why = [waiting?.reason, waiting?.message, pod.status?.message]
      .filter(Boolean)
      .join(': ');
    return `still ${pod.status?.phase ?? 'Pending'} after ${Math.round(
      pendingTimeoutMs / 1000,
    )} s${why ? ` (${why})` : ''}`;
  }
  return undefined;
}

/** The outcome of a runner pod that ended without reporting one. */
export function podFailedOutcome(
  pod: V1Pod,
  ref: PodRef,
  tail: string[],
): AgentAttemptOutcome {
  const terminated = runnerStatus(pod)?.state?.terminated;
  const how =
    terminated !== undefined
      ? `exited with code ${terminated.exitCode}${
          terminated.reason ? ` (${terminated.reason})` : ''
        }`
      : `failed (${
          [pod.status?.reason, pod.status?.message]
            .filter(Boolean)
            .join(': ') || pod.status?.phase
        })`;
  const lines = tail.slice(-10).join('\n').slice(-2000);
  return {
    phase: 'Failed',
    reason: 'PodFailed',
    message: `The runner pod ${ref.namespace}/${
      ref.name
    } ${how} without reporting an outcome${
      lines ? `; its last lines:\n${lines}` : ''
    }`,
  };
}
