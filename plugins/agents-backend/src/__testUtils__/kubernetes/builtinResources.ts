import { READ_WRITE_VERBS, ResourceType } from './ResourceRegistry';

function builtin(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced,
    verbs: READ_WRITE_VERBS,
    subresources: [],
    ...extra,
  };
}

/** The built-in resources the double serves. */
export function builtinResources(): ResourceType[] {
  const rbac = 'rbac.authorization.k8s.io';
  const authz = 'authorization.k8s.io';
  return [
    builtin('', 'v1', 'namespaces', 'Namespace', false, {
      shortNames: ['ns'],
      subresources: ['status'],
    }),
    builtin('', 'v1', 'serviceaccounts', 'ServiceAccount', true, {
      shortNames: ['sa'],
    }),
    builtin('', 'v1', 'secrets', 'Secret', true),
    builtin('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
    builtin('', 'v1', 'pods', 'Pod', true, {
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['status', 'log'],
    }),
    builtin(rbac, 'v1', 'roles', 'Role', true),
    builtin(rbac, 'v1', 'rolebindings', 'RoleBinding', true),
    builtin(rbac, 'v1', 'clusterroles', 'ClusterRole', false),
    builtin(rbac, 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
    builtin(
      'apiextensions.k8s.io',
      'v1',
      'customresourcedefinitions',
      'CustomResourceDefinition',
      false,
      { shortNames: ['crd', 'crds'], subresources: ['status'] },
    ),
    builtin(
      authz,
      'v1',
      'selfsubjectaccessreviews',
      'SelfSubjectAccessReview',
      false,
      {
        verbs: ['create'],
      },
    ),
    builtin(authz, 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, {
      verbs: ['create'],
    }),
    builtin(
      authz,
      'v1',
      'localsubjectaccessreviews',
      'LocalSubjectAccessReview',
      true,
      { verbs: ['create'] },
    ),
  ];
}
