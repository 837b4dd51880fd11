import {
  KubeConfig,
  KubernetesObjectApi,
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

const API_VERSIONS: Record<NativeKind, string> = {
  ServiceAccount: 'v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
};

const OWNED = `${MANAGED_BY_LABEL}=${MANAGED_BY_KRATE}`;

/**
 * Reads and writes the four native kinds of the projection through client-node's generic
 * object API, in the plain shape of {@link NativeObject}. A read of a missing object answers
 * undefined and deleting one that is gone succeeds; every other API error is thrown.
 */
export class NativeRbacClient {
  readonly #api: KubernetesObjectApi;

  constructor(kubeConfig: KubeConfig) {
    this.#api = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  async read(ref: NativeRef): Promise<NativeObject | undefined> {
    try {
      return toNative(ref.kind, await this.#api.read(headerOf(ref)));
    } catch (error) {
      if (apiStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async create(object: NativeObject): Promise<NativeObject> {
    return toNative(object.kind, await this.#api.create(toModel(object)));
  }

  /** Replaces an object; `object.metadata.resourceVersion` is the precondition. */
  async replace(object: NativeObject): Promise<NativeObject> {
    return toNative(object.kind, await this.#api.replace(toModel(object)));
  }

  async delete(ref: NativeRef): Promise<void> {
    try {
      await this.#api.delete(headerOf(ref));
    } catch (error) {
      if (apiStatusOf(error) !== 404) throw error;
    }
  }

  /** Objects of a kind in a namespace (every namespace when absent), optionally by label. */
  async list(
    kind: NativeKind,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<NativeObject[]> {
    const { items } = await this.#api.list<Model>(
      API_VERSIONS[kind],
      kind,
      options.namespace,
      undefined,
      undefined,
      undefined,
      undefined,
      options.labelSelector,
    );
    return items.map(item => toNative(kind, item));
  }

  /** Every object of a kind that carries Krate's managed-by label, in every namespace. */
  listOwned(kind: NativeKind): Promise<NativeObject[]> {
    return this.list(kind, { labelSelector: OWNED });
  }
}

function headerOf(ref: NativeRef) {
  const { name, namespace } = ref.metadata;
  return {
    apiVersion: API_VERSIONS[ref.kind],
    kind: ref.kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
  };
}

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
