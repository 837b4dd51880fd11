import { NativeSubject, RBAC_API_GROUP } from './NativeObject';

/**
 * The cluster's name for a user or group entity: the entity's name, prefixed with its catalog
 * namespace unless that is `default` (`user:default/alice` → `alice`, `group:ops/sre` →
 * `ops/sre`). The cluster's authenticator must present users and groups under these names.
 */
export function clusterIdentityName(entityRef: string): string {
  const withoutKind = entityRef.replace(/^[a-z]+:/i, '');
  return withoutKind.startsWith('default/')
    ? withoutKind.slice('default/'.length)
    : withoutKind;
}

export function userSubject(entityRef: string): NativeSubject {
  return {
    kind: 'User',
    apiGroup: RBAC_API_GROUP,
    name: clusterIdentityName(entityRef),
  };
}

export function groupSubject(entityRef: string): NativeSubject {
  return {
    kind: 'Group',
    apiGroup: RBAC_API_GROUP,
    name: clusterIdentityName(entityRef),
  };
}

/** The native ServiceAccount of an AgentServiceAccount, which has its name. */
export function serviceAccountSubject(
  name: string,
  namespace: string,
): NativeSubject {
  return { kind: 'ServiceAccount', name, namespace };
}
