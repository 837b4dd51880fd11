import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import {
  contentDigest,
  NativeKind,
  NativeObject,
  NativePolicyRule,
  NativeRoleRef,
  NativeSubject,
} from './NativeObject';
import { NativeRbacClient } from './NativeRbacClient';
import { ownerOf, PROJECTION_DIGEST_ANNOTATION } from './projectionLabels';

/** A native RBAC object as the portal shows it. */
export interface NativeRbacItem {
  kind: NativeKind;
  /** Absent for ClusterRoleBindings. */
  namespace?: string;
  name: string;
  subjects?: NativeSubject[];
  roleRef?: NativeRoleRef;
  rules?: NativePolicyRule[];
  /** `krate`: projected from a Krate object; `external`: imported read-only, never written. */
  managedBy: 'krate' | 'external';
  /** For `krate` objects: the Krate object it was projected from, in the org. */
  owner?: { kind: string; name: string };
  /** For `krate` objects: whether it still holds what was projected. */
  drift?: 'InSync' | 'Drifted';
}

/**
 * Lists the native RBAC of an org's cluster namespace: ServiceAccounts, Roles and RoleBindings
 * there, and the ClusterRoleBindings that Krate projected for the org or that bind one of the
 * namespace's ServiceAccounts. It only reads.
 */
export class NativeRbacReader {
  readonly #client: NativeRbacClient;
  readonly #namespaces: KubernetesNamespaces;

  constructor(options: {
    kubeConfig: KubeConfig;
    namespaces: KubernetesNamespaces;
  }) {
    this.#client = new NativeRbacClient(options.kubeConfig);
    this.#namespaces = options.namespaces;
  }

  async list(org: string): Promise<NativeRbacItem[]> {
    const namespace = this.#namespaces.toCluster(org);
    const [serviceAccounts, roles, roleBindings, clusterRoleBindings] =
      await Promise.all([
        this.#client.list('ServiceAccount', { namespace }),
        this.#client.list('Role', { namespace }),
        this.#client.list('RoleBinding', { namespace }),
        this.#client.list('ClusterRoleBinding'),
      ]);
    const relevantCluster = clusterRoleBindings.filter(
      binding =>
        ownerOf(binding.metadata.labels)?.namespace === org ||
        binding.subjects?.some(
          s => s.kind === 'ServiceAccount' && s.namespace === namespace,
        ),
    );
    return [
      ...serviceAccounts,
      ...roles,
      ...roleBindings,
      ...relevantCluster,
    ].map(object => itemOf(object, org));
  }
}

function itemOf(object: NativeObject, org: string): NativeRbacItem {
  const { namespace, name, labels, annotations } = object.metadata;
  const owner = ownerOf(labels);
  const base = {
    kind: object.kind,
    ...(namespace ? { namespace } : {}),
    name,
    ...(object.subjects ? { subjects: object.subjects } : {}),
    ...(object.roleRef ? { roleRef: object.roleRef } : {}),
    ...(object.rules ? { rules: object.rules } : {}),
  };
  // An object labelled for another org's Krate object is not this org's to claim.
  if (!owner || owner.namespace !== org) {
    return { ...base, managedBy: 'external' };
  }
  const projected = annotations?.[PROJECTION_DIGEST_ANNOTATION];
  return {
    ...base,
    managedBy: 'krate',
    owner: { kind: owner.kind, name: owner.name },
    drift: projected === contentDigest(object) ? 'InSync' : 'Drifted',
  };
}
