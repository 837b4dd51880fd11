/** A Kubernetes object as the double stores it: plain JSON with the usual metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMetadata;
  [field: string]: unknown;
}

export interface KubeObjectMetadata {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { uid: string; [field: string]: unknown }[];
  [field: string]: unknown;
}

/** The identity the double authenticated a request as. */
export interface KubeUser {
  username: string;
  groups: string[];
}

export function cloneJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
