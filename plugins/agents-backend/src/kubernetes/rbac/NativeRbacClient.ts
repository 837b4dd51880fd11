import {
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  V1ClusterRoleBinding,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { apiStatusOf } from './kubernetesApiErrors';
import { NativeKind, NativeObject } from './NativeObject';
import { MANAGED_BY_KRATE, MANAGED_BY_LABEL } from './projectionLabels';

/** Which object: kind, namespace (absent for cluster-scoped kinds) and name. */
export interface NativeRef {
  kind: NativeKind;
  metadata: { namespace?: string; name: string };
}

type Model = V1ServiceAccount | V1Role | V1RoleBinding | V1ClusterRoleBinding;

const OWNED = `${MANAGED_BY_LABEL}=${MANAGED_BY_KRATE}`;

/**
 * Reads and writes the four native kinds of the projection through client-node's typed APIs,
 * in the plain shape of {@link NativeObject}. A read of a missing object answers undefined and
 * deleting one that is gone succeeds; every other API error is thrown.
 */
export class NativeRbacClient {
  readonly #core: CoreV1Api;
  readonly #rbac: RbacAuthorizationV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  }

  async read(ref: NativeRef): Promise<NativeObject | undefined> {
    const { name } = ref.metadata;
    const namespace = ref.metadata.namespace!;
    try {
      switch (ref.kind) {
        case 'ServiceAccount':
          return toNative(
            ref.kind,
            await this.#core.readNamespacedServiceAccount({ name, namespace }),
          );
        case 'Role':
          return toNative(
            ref.kind,
            await this.#rbac.readNamespacedRole({ name, namespace }),
          );
        case 'RoleBinding':
          return toNative(
            ref.kind,
            await this.#rbac.readNamespacedRoleBinding({ name, namespace }),
          );
        default:
          return toNative(
            ref.kind,
            await this.#rbac.readClusterRoleBinding({ name }),
          );
      }
    } catch (error) {
      if (apiStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async create(object: NativeObject): Promise<NativeObject> {
    const namespace = object.metadata.namespace!;
    const body = toModel(object) as any;
    switch (object.kind) {
      case 'ServiceAccount':
        return toNative(
          object.kind,
          await this.#core.createNamespacedServiceAccount({ namespace, body }),
        );
      case 'Role':
        return toNative(
          object.kind,
          await this.#rbac.createNamespacedRole({ namespace, body }),
        );
      case 'RoleBinding':
        return toNative(
          object.kind,
          await this.#rbac.createNamespacedRoleBinding({ namespace, body }),
        );
      default:
        return toNative(
          object.kind,
          await this.#rbac.createClusterRoleBinding({ body }),
        );
    }
  }

  /** Replaces an object; `object.metadata.resourceVersion` is the precondition. */
  async replace(object: NativeObject): Promise<NativeObject> {
    const { name } = object.metadata;
    const namespace = object.metadata.namespace!;
    const body = toModel(object) as any;
    switch (object.kind) {
      case 'ServiceAccount':
        return toNative(
          object.kind,
          await this.#core.replaceNamespacedServiceAccount({
            name,
            namespace,
            body,
          }),
        );
      case 'Role':
        return toNative(
          object.kind,
          await this.#rbac.replaceNamespacedRole({ name, namespace, body }),
        );
      case 'RoleBinding':
        return toNative(
          object.kind,
          await this.#rbac.replaceNamespacedRoleBinding({
            name,
            namespace,
            body,
          }),
        );
      default:
        return toNative(
          object.kind,
          await this.#rbac.replaceClusterRoleBinding({ name, body }),
        );
    }
  }

  async delete(ref: NativeRef): Promise<void> {
    const { name } = ref.metadata;
    const namespace = ref.metadata.namespace!;
    try {
      switch (ref.kind) {
        case 'ServiceAccount':
          await this.#core.deleteNamespacedServiceAccount({ name, namespace });
          return;
        case 'Role':
          await this.#rbac.deleteNamespacedRole({ name, namespace });
          return;
        case 'RoleBinding':
          await this.#rbac.deleteNamespacedRoleBinding({ name, namespace });
          return;
        default:
          await this.#rbac.deleteClusterRoleBinding({ name });
      }
    } catch (error) {
      if (apiStatusOf(error) !== 404) throw error;
    }
  }

  /** Objects of a kind in a namespace (every namespace when absent), optionally by label. */
  async list(
    kind: NativeKind,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<NativeObject[]> {
    const { namespace, labelSelector } = options;
    let items: Model[];
    switch (kind) {
      case 'ServiceAccount':
        items = (
          namespace
            ? await this.#core.listNamespacedServiceAccount({
                namespace,
                labelSelector,
              })
            : await this.#core.listServiceAccountForAllNamespaces({
                labelSelector,
              })
        ).items;
        break;
      case 'Role':
        items = (
          namespace
            ? await this.#rbac.listNamespacedRole({ namespace, labelSelector })
            : await this.#rbac.listRoleForAllNamespaces({ labelSelector })
        ).items;
        break;
      case 'RoleBinding':
        items = (
          namespace
            ? await this.#rbac.listNamespacedRoleBinding({
                namespace,
                labelSelector,
              })
            : await this.#rbac.listRoleBindingForAllNamespaces({
                labelSelector,
              })
        ).items;
        break;
      default:
        items = (await this.#rbac.listClusterRoleBinding({ labelSelector }))
          .items;
    }
    return items.map(item => toNative(kind, item));
  }

  /** Every object of a kind that carries Krate's managed-by label, in every namespace. */
  listOwned(kind: NativeKind): Promise<NativeObject[]> {
    return this.list(kind, { labelSelector: OWNED });
  }
}

const API_VERSIONS: Record<NativeKind, string> = {
  ServiceAccount: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
};

function toModel(object: NativeObject): Model {
  const { name, namespace, labels, annotations, resourceVersion } =
    object.metadata;
  return {
    apiVersion: API_VERSIONS[object.kind],
    kind: object.kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(resourceVersion ? { resourceVersion } : {}),
    },
    ...(object.rules ? { rules: object.rules } : {}),
    ...(object.subjects ? { subjects: object.subjects } : {}),
    ...(object.roleRef ? { roleRef: object.roleRef } : {}),
  } as Model;
}

function toNative(kind: NativeKind, model: Model): NativeObject {
  const metadata = model.metadata ?? {};
  const object: NativeObject = {
    kind,
    metadata: {
      name: metadata.name!,
      ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      labels: metadata.labels ?? {},
      annotations: metadata.annotations ?? {},
      resourceVersion: metadata.resourceVersion,
    },
  };
  if ('rules' in model && kind === 'Role') {
    object.rules = (model.rules ?? []).map(rule => ({
      apiGroups: rule.apiGroups ?? [],
      resources: rule.resources ?? [],
      verbs: rule.verbs ?? [],
      ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}),
    }));
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const binding = model as V1RoleBinding;
    object.subjects = (binding.subjects ?? []).map(subject => ({
      kind: subject.kind as 'User' | 'Group' | 'ServiceAccount',
      name: subject.name,
      ...(subject.apiGroup ? { apiGroup: subject.apiGroup } : {}),
      ...(subject.namespace ? { namespace: subject.namespace } : {}),
    }));
    object.roleRef = binding.roleRef && {
      apiGroup: binding.roleRef.apiGroup,
      kind: binding.roleRef.kind as 'Role' | 'ClusterRole',
      name: binding.roleRef.name,
    };
  }
  return object;
}
