import { createHash } from 'node:crypto';

/** Marks the native objects Krate owns; objects without it are never changed or deleted. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_KRATE = 'krate-agents';
export const OWNER_KIND_LABEL = 'agents.krate.dev/owner-kind';
export const OWNER_NAME_LABEL = 'agents.krate.dev/owner-name';
/** The org of the owner; needed for cluster-scoped objects, set on all. */
export const OWNER_NAMESPACE_LABEL = 'agents.krate.dev/owner-namespace';
/** sha256 of the RBAC content as projected, to tell a hand edit from a Krate change. */
export const PROJECTION_DIGEST_ANNOTATION =
  'agents.krate.dev/projection-digest';
/** metadata.generation of the owner when it was projected. */
export const OWNER_GENERATION_ANNOTATION = 'agents.krate.dev/owner-generation';

/** The Krate kinds that own native RBAC objects. */
export const PROJECTED_KINDS = [
  'AgentServiceAccount',
  'AgentRoleBinding',
  'AgentSecretGrant',
  'AgentConfigGrant',
] as const;

export type ProjectedKind = (typeof PROJECTED_KINDS)[number];

export interface Owner {
  kind: string;
  namespace: string;
  name: string;
}

export function ownerLabels(owner: Owner): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_KRATE,
    [OWNER_KIND_LABEL]: owner.kind,
    [OWNER_NAMESPACE_LABEL]: owner.namespace,
    [OWNER_NAME_LABEL]: owner.name,
  };
}

export function isKrateOwned(labels: Record<string, string> | undefined) {
  return labels?.[MANAGED_BY_LABEL] === MANAGED_BY_KRATE;
}

/** The Krate object that owns a native object, from its labels. */
export function ownerOf(
  labels: Record<string, string> | undefined,
): Owner | undefined {
  if (!isKrateOwned(labels)) return undefined;
  const kind = labels![OWNER_KIND_LABEL];
  const namespace = labels![OWNER_NAMESPACE_LABEL];
  const name = labels![OWNER_NAME_LABEL];
  if (!kind || !namespace || !name) return undefined;
  return { kind, namespace, name };
}

const MAX_NAME = 63;

/**
 * `krate-<prefix>-<parts…>`, at most 63 characters: a longer one keeps its start and ends with
 * a hash of the whole, so two long names stay apart.
 */
export function nativeObjectName(prefix: string, ...parts: string[]): string {
  const full = ['krate', prefix, ...parts].join('-');
  if (full.length <= MAX_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 10);
  const head = full.slice(0, MAX_NAME - hash.length - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}
