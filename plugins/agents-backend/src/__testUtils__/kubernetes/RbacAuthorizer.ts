import {
  AuthorizationDecision,
  Authorizer,
  RequestAttributes,
} from './Authorizer';
import { KubeObject } from './kubeObjects';
import { ObjectStore } from './ObjectStore';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface RoleRef {
  kind: string;
  name: string;
}

const RBAC = 'rbac.authorization.k8s.io';

function ruleAllows(rule: PolicyRule, attributes: RequestAttributes): boolean {
  const { verb, group, resource, subresource, name } = attributes;
  const verbs = rule.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(verb)) return false;
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(group)) return false;
  const resources = rule.resources ?? [];
  const wanted = subresource ? `${resource}/${subresource}` : resource;
  const resourceMatches =
    resources.includes('*') ||
    resources.includes(wanted) ||
    (subresource
      ? resources.includes(`${resource}/*`) ||
        resources.includes(`*/${subresource}`)
      : false);
  if (!resourceMatches) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (name !== undefined && names.includes(name));
}

function subjectMatches(
  subject: Subject,
  attributes: RequestAttributes,
  bindingNamespace?: string,
): boolean {
  const { user } = attributes;
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return (
        user.username ===
        `system:serviceaccount:${subject.namespace ?? bindingNamespace}:${
          subject.name
        }`
      );
    default:
      return false;
  }
}

/**
 * RBAC as the API server evaluates it: Roles and ClusterRoles bound by RoleBindings and
 * ClusterRoleBindings to users, groups and service accounts. `system:masters` may do anything.
 * No aggregation rules and no escalation checks.
 */
export class RbacAuthorizer implements Authorizer {
  constructor(private readonly store: ObjectStore) {}

  authorize(attributes: RequestAttributes): AuthorizationDecision {
    if (attributes.user.groups.includes('system:masters')) {
      return { allowed: true, reason: 'member of system:masters' };
    }
    for (const binding of this.store.list(`${RBAC}/clusterrolebindings`)) {
      const allowedBy = this.bindingAllows(binding, attributes, undefined);
      if (allowedBy) return { allowed: true, reason: allowedBy };
    }
    if (attributes.namespace) {
      for (const binding of this.store.list(
        `${RBAC}/rolebindings`,
        attributes.namespace,
      )) {
        const allowedBy = this.bindingAllows(
          binding,
          attributes,
          attributes.namespace,
        );
        if (allowedBy) return { allowed: true, reason: allowedBy };
      }
    }
    return { allowed: false, reason: '' };
  }

  private bindingAllows(
    binding: KubeObject,
    attributes: RequestAttributes,
    namespace: string | undefined,
  ) {
    const subjects = (binding.subjects ?? []) as Subject[];
    if (!subjects.some(s => subjectMatches(s, attributes, namespace)))
      return undefined;
    const roleRef = binding.roleRef as RoleRef | undefined;
    if (!roleRef) return undefined;
    const role =
      roleRef.kind === 'ClusterRole'
        ? this.store.get(`${RBAC}/clusterroles`, undefined, roleRef.name)
        : this.store.get(`${RBAC}/roles`, namespace, roleRef.name);
    const rules = (role?.rules ?? []) as PolicyRule[];
    if (!rules.some(rule => ruleAllows(rule, attributes))) return undefined;
    const bindingKind = namespace ? 'RoleBinding' : 'ClusterRoleBinding';
    const where = namespace ? ` in namespace "${namespace}"` : '';
    return `RBAC: allowed by ${bindingKind} "${binding.metadata.name}/${
      namespace ?? ''
    }" of ${roleRef.kind} "${roleRef.name}" to ${
      attributes.user.username
    }${where}`;
  }
}

/** The bootstrap policy objects every cluster starts with that the double needs. */
export function bootstrapPolicy(): { resource: string; object: KubeObject }[] {
  const clusterRole = (name: string, rules: PolicyRule[]) => ({
    resource: 'clusterroles',
    object: {
      metadata: {
        name,
        labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      },
      rules,
    } as KubeObject,
  });
  const groupBinding = (name: string, group: string) => ({
    resource: 'clusterrolebindings',
    object: {
      metadata: {
        name,
        labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
      },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
      subjects: [{ apiGroup: RBAC, kind: 'Group', name: group }],
    } as KubeObject,
  });
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ]),
    clusterRole('system:basic-user', [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
    ]),
    groupBinding('cluster-admin', 'system:masters'),
    groupBinding('system:basic-user', 'system:authenticated'),
  ];
}
