import { StoredResource } from '../../resources/ResourceStore';
import {
  contentDigest,
  describeNative,
  NativeObject,
  NativeSubject,
  RBAC_API_GROUP,
} from './NativeObject';
import {
  groupSubject,
  serviceAccountSubject,
  userSubject,
} from './nativeSubjects';
import {
  nativeObjectName,
  Owner,
  OWNER_GENERATION_ANNOTATION,
  ownerLabels,
  PROJECTION_DIGEST_ANNOTATION,
} from './projectionLabels';

/**
 * Asks for an AgentRoleBinding to become a ClusterRoleBinding. The kind has no scope field yet,
 * so the request is an annotation; the controller honours it only with `allowClusterScope`.
 */
export const CLUSTER_SCOPE_ANNOTATION = 'agents.krate.dev/scope';

export interface ProjectionContext {
  /** The cluster namespace of the object's org. */
  clusterNamespace: string;
  /** Whether ClusterRoleBindings may be written; default false. */
  allowClusterScope?: boolean;
  now: Date;
}

/** The native objects one Krate object should have. */
export interface Projection {
  owner: Owner;
  /** Desired objects, labelled and annotated; empty when nothing is projected. */
  objects: NativeObject[];
  /** Why nothing is projected: the Projected=False condition. */
  skipped?: { reason: string; message: string };
  /** An existing object the Krate object adopts without owning it (an unmanaged ServiceAccount). */
  external?: NativeObject;
  /** What stays on the Krate side, told in the Projected message. */
  notes: string[];
}

type Grant = 'AgentSecretGrant' | 'AgentConfigGrant';

const GRANT_SOURCES: Record<
  Grant,
  { field: string; resource: string; noun: string; prefix: string }
> = {
  AgentSecretGrant: {
    field: 'secretName',
    resource: 'secrets',
    noun: 'Secret',
    prefix: 'secretgrant',
  },
  AgentConfigGrant: {
    field: 'configMapName',
    resource: 'configmaps',
    noun: 'ConfigMap',
    prefix: 'configgrant',
  },
};

/** The desired native RBAC of an AgentServiceAccount, AgentRoleBinding or grant. */
export function projectRbac(
  object: StoredResource,
  context: ProjectionContext,
): Projection {
  const owner = {
    kind: object.kind,
    namespace: object.metadata.namespace,
    name: object.metadata.name,
  };
  switch (object.kind) {
    case 'AgentServiceAccount':
      return projectServiceAccount(object, owner, context);
    case 'AgentRoleBinding':
      return projectRoleBinding(object, owner, context);
    case 'AgentSecretGrant':
    case 'AgentConfigGrant':
      return projectGrant(object, object.kind, owner, context);
    default:
      throw new Error(`${object.kind} has no native RBAC projection`);
  }
}

function projectServiceAccount(
  object: StoredResource,
  owner: Owner,
  context: ProjectionContext,
): Projection {
  const serviceAccount: NativeObject = {
    kind: 'ServiceAccount',
    metadata: { namespace: context.clusterNamespace, name: owner.name },
  };
  const notes: string[] = [];
  const named = object.spec.serviceAccountName as string | undefined;
  if (named && named !== owner.name) {
    notes.push(
      `spec.serviceAccountName '${named}' is not used: the native ServiceAccount has the AgentServiceAccount's name '${owner.name}', which pods run as`,
    );
  }
  if (object.spec.managed === false) {
    return { owner, objects: [], external: serviceAccount, notes };
  }
  return { owner, objects: [owned(serviceAccount, object, owner)], notes };
}

function projectRoleBinding(
  object: StoredResource,
  owner: Owner,
  context: ProjectionContext,
): Projection {
  const spec = object.spec as {
    subjects: { kind: string; name: string }[];
    roleRef: { kind: 'Role' | 'ClusterRole'; name: string };
    repository?: string;
  };
  if (spec.repository) {
    return skipped(
      owner,
      'RepositoryScoped',
      `The binding is limited to repository ${spec.repository}; native RBAC has no repository scope, so projecting it would grant the whole namespace. Krate enforces it on its side only.`,
    );
  }
  const subjects = spec.subjects.map(s =>
    bindingSubject(s, context.clusterNamespace),
  );
  const roleRef = {
    apiGroup: RBAC_API_GROUP,
    kind: spec.roleRef.kind,
    name: spec.roleRef.name,
  };
  const clusterScope =
    object.metadata.annotations?.[CLUSTER_SCOPE_ANNOTATION] === 'cluster';
  if (!clusterScope) {
    const binding: NativeObject = {
      kind: 'RoleBinding',
      metadata: {
        namespace: context.clusterNamespace,
        name: nativeObjectName('rolebinding', owner.name),
      },
      subjects,
      roleRef,
    };
    return { owner, objects: [owned(binding, object, owner)], notes: [] };
  }
  if (!context.allowClusterScope) {
    return skipped(
      owner,
      'ClusterScopeNotAllowed',
      `The binding asks for cluster scope (annotation ${CLUSTER_SCOPE_ANNOTATION}: cluster), which this backend does not project: set agents.kubernetes.allowClusterScope to allow ClusterRoleBindings, or remove the annotation to bind in namespace ${context.clusterNamespace}.`,
    );
  }
  if (roleRef.kind !== 'ClusterRole') {
    return skipped(
      owner,
      'InvalidRoleRef',
      `A cluster-scoped binding can only refer to a ClusterRole; spec.roleRef names Role ${roleRef.name}.`,
    );
  }
  const binding: NativeObject = {
    kind: 'ClusterRoleBinding',
    metadata: {
      name: nativeObjectName('rolebinding', owner.namespace, owner.name),
    },
    subjects,
    roleRef,
  };
  return { owner, objects: [owned(binding, object, owner)], notes: [] };
}

function bindingSubject(
  subject: { kind: string; name: string },
  namespace: string,
): NativeSubject {
  switch (subject.kind) {
    case 'user':
      return userSubject(subject.name);
    case 'team':
      return groupSubject(subject.name);
    default:
      return serviceAccountSubject(subject.name, namespace);
  }
}

function projectGrant(
  object: StoredResource,
  kind: Grant,
  owner: Owner,
  context: ProjectionContext,
): Projection {
  const source = GRANT_SOURCES[kind];
  const spec = object.spec as {
    subjects: { kind: string; name: string }[];
    keys: string[];
    expiresAt?: string;
  };
  const sourceName = object.spec[source.field] as string;
  if (spec.expiresAt && Date.parse(spec.expiresAt) <= context.now.getTime()) {
    return skipped(
      owner,
      'Expired',
      `The grant expired at ${spec.expiresAt}; its native Role and RoleBinding are removed.`,
    );
  }
  const subjects: NativeSubject[] = [];
  const krateOnly: string[] = [];
  for (const subject of spec.subjects) {
    if (subject.kind === 'agent' || subject.kind === 'runner') {
      subjects.push(
        serviceAccountSubject(subject.name, context.clusterNamespace),
      );
    } else if (subject.kind === 'user') {
      subjects.push(userSubject(subject.name));
    } else if (subject.kind === 'team') {
      subjects.push(groupSubject(subject.name));
    } else {
      krateOnly.push(`${subject.kind}:${subject.name}`);
    }
  }
  const notes = [
    `native RBAC grants the whole ${
      source.noun
    } ${sourceName}; the keys (${spec.keys.join(', ')}) are limited by Krate`,
    ...(krateOnly.length
      ? [
          `subjects ${krateOnly.join(
            ', ',
          )} have no cluster identity and are enforced by Krate only`,
        ]
      : []),
  ];
  if (!subjects.length) {
    return {
      ...skipped(
        owner,
        'NoClusterSubjects',
        `No subject of the grant has a cluster identity (${krateOnly.join(
          ', ',
        )}); add an agent, runner, user or team subject to project it. Krate enforces the grant on its side.`,
      ),
    };
  }
  const name = nativeObjectName(source.prefix, owner.name);
  const namespace = context.clusterNamespace;
  const role: NativeObject = {
    kind: 'Role',
    metadata: { namespace, name },
    rules: [
      {
        apiGroups: [''],
        resources: [source.resource],
        verbs: ['get'],
        resourceNames: [sourceName],
      },
    ],
  };
  const binding: NativeObject = {
    kind: 'RoleBinding',
    metadata: { namespace, name },
    subjects,
    roleRef: { apiGroup: RBAC_API_GROUP, kind: 'Role', name },
  };
  return {
    owner,
    objects: [owned(role, object, owner), owned(binding, object, owner)],
    notes,
  };
}

function owned(
  desired: NativeObject,
  object: StoredResource,
  owner: Owner,
): NativeObject {
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      labels: ownerLabels(owner),
      annotations: {
        [PROJECTION_DIGEST_ANNOTATION]: contentDigest(desired),
        [OWNER_GENERATION_ANNOTATION]: String(object.metadata.generation ?? 0),
      },
    },
  };
}

function skipped(owner: Owner, reason: string, message: string): Projection {
  return { owner, objects: [], skipped: { reason, message }, notes: [] };
}

/** `Role acme/x and RoleBinding acme/x`. */
export function describeObjects(objects: NativeObject[]): string {
  const names = objects.map(describeNative);
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : names[0] ?? 'nothing';
}
