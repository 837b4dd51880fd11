import { StoredResource } from '../../resources/ResourceStore';
import { KubernetesNamespaces } from '../KubernetesNamespaces';

/** An agents.krate.dev object as the API server answers it. */
export interface ClusterObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    managedFields?: unknown[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
    [field: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

/** kubectl apply's record of what was applied, which the portal never sends but must not drop. */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A cluster object as the portal sees it: in its org instead of its cluster namespace and without
 * managedFields. The cluster's resourceVersion stays: it is the precondition of the next write.
 */
export function fromCluster(
  object: ClusterObject,
  namespaces: KubernetesNamespaces,
): StoredResource {
  const { managedFields: _managed, ...metadata } = object.metadata;
  return {
    ...object,
    metadata: {
      ...metadata,
      namespace: namespaces.fromCluster(metadata.namespace ?? ''),
    },
    spec: object.spec ?? {},
  } as StoredResource;
}

/** The body of a create: what the portal may set; the API server sets the rest. */
export function newClusterObject(
  object: StoredResource,
  namespaces: KubernetesNamespaces,
): ClusterObject {
  const { name, namespace, labels, annotations, ownerReferences } =
    object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name,
      namespace: namespaces.toCluster(namespace),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    spec: object.spec,
  };
}

/**
 * The body of a replace: the stored object with the portal's labels, annotations, owner
 * references and spec, at `resourceVersion` (the precondition). Status belongs to its
 * subresource and is left out.
 */
export function replacedClusterObject(
  stored: ClusterObject,
  object: StoredResource,
  resourceVersion: string | undefined,
): ClusterObject {
  const { labels, ownerReferences } = object.metadata;
  const kept = stored.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  const annotations =
    kept !== undefined &&
    object.metadata.annotations?.[LAST_APPLIED_ANNOTATION] === undefined
      ? { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: kept }
      : object.metadata.annotations;
  const { status: _status, ...rest } = stored;
  return {
    ...rest,
    metadata: {
      ...stored.metadata,
      labels,
      annotations,
      ownerReferences,
      resourceVersion,
    },
    spec: object.spec,
  };
}

/** The body of a status replace: the stored object with `status`, at `resourceVersion`. */
export function statusClusterObject(
  stored: ClusterObject,
  status: Record<string, unknown> | undefined,
  resourceVersion: string | undefined,
): ClusterObject {
  return {
    ...stored,
    metadata: { ...stored.metadata, resourceVersion },
    status,
  };
}
