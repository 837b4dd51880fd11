import { jsonEqual } from '../../resources/digest';
import { contentDigest, contentOf, NativeObject } from './NativeObject';
import {
  isKrateOwned,
  OWNER_GENERATION_ANNOTATION,
  OWNER_KIND_LABEL,
  OWNER_NAME_LABEL,
  OWNER_NAMESPACE_LABEL,
  PROJECTION_DIGEST_ANNOTATION,
} from './projectionLabels';

/** How a live native object stands against the object the projection wants. */
export type LiveState =
  /** Not in the cluster. */
  | { state: 'Missing' }
  /** Exists, but Krate does not own it (or another Krate object does): never written. */
  | { state: 'NotOwned' }
  /** Projected from an older version of its Krate object: to be projected again. */
  | { state: 'Outdated' }
  /** Projected from this version, then changed in the cluster. */
  | { state: 'Drifted'; differences: string[] }
  | { state: 'InSync' };

/**
 * Compares a live object with the desired one. The annotations of the live object tell what
 * Krate wrote: when they match the desired projection but the content does not, someone edited
 * the object in the cluster (Drifted); when they do not match, the Krate object changed since
 * (Outdated).
 */
export function compareWithLive(
  desired: NativeObject,
  live: NativeObject | undefined,
): LiveState {
  if (!live) return { state: 'Missing' };
  const labels = live.metadata.labels;
  const ownerLabels = [
    OWNER_KIND_LABEL,
    OWNER_NAMESPACE_LABEL,
    OWNER_NAME_LABEL,
  ] as const;
  if (
    !isKrateOwned(labels) ||
    ownerLabels.some(key => labels?.[key] !== desired.metadata.labels?.[key])
  ) {
    return { state: 'NotOwned' };
  }
  const annotations = live.metadata.annotations ?? {};
  const wanted = desired.metadata.annotations ?? {};
  if (
    annotations[PROJECTION_DIGEST_ANNOTATION] !==
      wanted[PROJECTION_DIGEST_ANNOTATION] ||
    annotations[OWNER_GENERATION_ANNOTATION] !==
      wanted[OWNER_GENERATION_ANNOTATION]
  ) {
    return { state: 'Outdated' };
  }
  if (contentDigest(live) === wanted[PROJECTION_DIGEST_ANNOTATION]) {
    return { state: 'InSync' };
  }
  return {
    state: 'Drifted',
    differences: differencesOf(contentOf(desired), contentOf(live)),
  };
}

/** The fields where the live content departs from the projected one, at most five. */
export function differencesOf(projected: unknown, live: unknown): string[] {
  const found: string[] = [];
  walk(projected, live, '', found);
  return found.length > 5
    ? [...found.slice(0, 5), `${found.length - 5} more`]
    : found;
}

function walk(a: unknown, b: unknown, path: string, found: string[]) {
  if (jsonEqual(a, b)) return;
  const isArrayPair = Array.isArray(a) && Array.isArray(b);
  const isObjectPair =
    isPlainObject(a) && isPlainObject(b) && !Array.isArray(a);
  // Lists of scalars (verbs, resources) read best whole; lists of objects per item.
  if (isArrayPair && a.every(isPlainObject) && b.every(isPlainObject)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      walk(a[i], b[i], `${path}[${i}]`, found);
    }
    return;
  }
  if (isObjectPair) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      walk(a[key], b[key], path ? `${path}.${key}` : key, found);
    }
    return;
  }
  found.push(`${path || '(object)'}: projected ${show(a)}, live ${show(b)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}
