import { createHash } from 'node:crypto';

/** Where an attempt runs: its runner pod. */
export interface PodRef {
  namespace: string;
  name: string;
}

const MAX_NAME = 63;
const RUN_ID_PREFIX = 'pod/';

function shortHash(value: string) {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

/** `value` cut to `max` characters, the cut marked by a hash of the whole so names stay unique. */
function truncated(value: string, max: number) {
  if (value.length <= max) return value;
  return `${value.slice(0, max - 9).replace(/[-_.]+$/, '')}-${shortHash(
    value,
  )}`;
}

/** `krate-<attempt>`, at most 63 characters (a DNS label, as pod names must be). */
export function runnerPodName(attempt: string): string {
  return truncated(`krate-${attempt.toLowerCase()}`, MAX_NAME);
}

/**
 * A label value for `value`: characters Kubernetes refuses in one (e.g. the `/` of
 * `<org>/<repository>`) become `.`, it starts and ends alphanumeric and has at most 63
 * characters.
 */
export function labelValue(value: string): string {
  const safe = value
    .replace(/[^A-Za-z0-9._-]/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return truncated(safe, MAX_NAME);
}

/** The runtime run id of an attempt running in `pod`: `pod/<namespace>/<name>`. */
export function podRunId(pod: PodRef): string {
  return `${RUN_ID_PREFIX}${pod.namespace}/${pod.name}`;
}

/** The pod a runtime run id names, or undefined when it names none. */
export function podOfRunId(runtimeRunId: string): PodRef | undefined {
  if (!runtimeRunId.startsWith(RUN_ID_PREFIX)) return undefined;
  const [namespace, name, ...rest] = runtimeRunId
    .slice(RUN_ID_PREFIX.length)
    .split('/');
  return namespace && name && rest.length === 0
    ? { namespace, name }
    : undefined;
}
