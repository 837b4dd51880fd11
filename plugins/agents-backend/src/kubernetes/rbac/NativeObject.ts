import { digestOf } from '../../resources/digest';

/** The native kinds the projection writes and the reader lists. */
export type NativeKind =
  | 'ServiceAccount'
  | 'Role'
  | 'RoleBinding'
  | 'ClusterRoleBinding';

export interface NativeSubject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  apiGroup?: string;
  namespace?: string;
}

export interface NativeRoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface NativePolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** A ServiceAccount, Role, RoleBinding or ClusterRoleBinding, in the fields Krate reads. */
export interface NativeObject {
  kind: NativeKind;
  metadata: {
    name: string;
    /** Absent for ClusterRoleBindings. */
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
  };
  rules?: NativePolicyRule[];
  subjects?: NativeSubject[];
  roleRef?: NativeRoleRef;
}

export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';

/** What RBAC means in an object: rules of a Role, subjects and roleRef of a binding. */
export function contentOf(object: NativeObject): Record<string, unknown> {
  switch (object.kind) {
    case 'Role':
      return { rules: (object.rules ?? []).map(normalRule) };
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return {
        subjects: (object.subjects ?? []).map(normalSubject),
        roleRef: object.roleRef && normalRoleRef(object.roleRef),
      };
    default:
      return {};
  }
}

/** sha256 of {@link contentOf}. */
export function contentDigest(object: NativeObject): string {
  return digestOf(contentOf(object));
}

/** `Role acme/krate-secretgrant-db`, `ClusterRoleBinding krate-rolebinding-x`. */
export function describeNative(object: {
  kind: string;
  metadata: { namespace?: string; name: string };
}): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

// The API server and client-node leave absent fields as undefined or drop empty ones; both
// sides of a comparison go through these so only meaningful differences remain.
function normalRule(rule: NativePolicyRule): Record<string, unknown> {
  return {
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    verbs: rule.verbs ?? [],
    ...(rule.resourceNames?.length
      ? { resourceNames: rule.resourceNames }
      : {}),
  };
}

function normalSubject(subject: NativeSubject): Record<string, unknown> {
  return {
    kind: subject.kind,
    name: subject.name,
    ...(subject.apiGroup ? { apiGroup: subject.apiGroup } : {}),
    ...(subject.namespace ? { namespace: subject.namespace } : {}),
  };
}

function normalRoleRef(ref: NativeRoleRef): Record<string, unknown> {
  return { apiGroup: ref.apiGroup, kind: ref.kind, name: ref.name };
}
