import {
  AGENTS_API_GROUP,
  AGENTS_API_VERSION,
} from '@krate/plugin-agents-common';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { ClusterObject } from './clusterObjects';
import { clusterError } from './clusterError';

/** An object of the cluster: its kind's plural, its cluster namespace and name. */
export interface ClusterRef {
  kind: string;
  plural: string;
  namespace: string;
  name: string;
  /** The org it belongs to, for messages. */
  org: string;
}

export interface ClusterList {
  items: ClusterObject[];
  metadata: { resourceVersion?: string };
}

const PAGE = 500;
const GROUP = { group: AGENTS_API_GROUP, version: AGENTS_API_VERSION };

/**
 * The agents.krate.dev custom objects of the API server, each failure mapped to the portal's
 * errors (see clusterError). Raw errors only from `listAll`, whose caller tells a 410 apart.
 */
export class CustomObjectClient {
  readonly #api: CustomObjectsApi;
  readonly server: string;

  constructor(kubeConfig: KubeConfig) {
    this.#api = kubeConfig.makeApiClient(CustomObjectsApi);
    this.server = kubeConfig.getCurrentCluster()?.server ?? '(no cluster)';
  }

  /** Every object of a kind in every namespace, read page by page from one snapshot. */
  async listAll(plural: string): Promise<ClusterList> {
    const items: ClusterObject[] = [];
    let continueToken: string | undefined;
    for (;;) {
      const page = await this.#api.listClusterCustomObject({
        ...GROUP,
        plural,
        limit: PAGE,
        _continue: continueToken,
      });
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
      if (!continueToken) {
        return { items, metadata: page.metadata ?? {} };
      }
    }
  }

  get(ref: ClusterRef): Promise<ClusterObject> {
    return this.#call(ref, () =>
      this.#api.getNamespacedCustomObject({ ...GROUP, ...this.#at(ref) }),
    );
  }

  create(
    ref: ClusterRef,
    body: ClusterObject,
    dryRun: boolean,
  ): Promise<ClusterObject> {
    const { plural, namespace } = ref;
    return this.#call(ref, () =>
      this.#api.createNamespacedCustomObject({
        ...GROUP,
        plural,
        namespace,
        body,
        ...dryRunParam(dryRun),
      }),
    );
  }

  replace(
    ref: ClusterRef,
    body: ClusterObject,
    dryRun: boolean,
  ): Promise<ClusterObject> {
    return this.#call(ref, () =>
      this.#api.replaceNamespacedCustomObject({
        ...GROUP,
        ...this.#at(ref),
        body,
        ...dryRunParam(dryRun),
      }),
    );
  }

  replaceStatus(ref: ClusterRef, body: ClusterObject): Promise<ClusterObject> {
    return this.#call(ref, () =>
      this.#api.replaceNamespacedCustomObjectStatus({
        ...GROUP,
        ...this.#at(ref),
        body,
      }),
    );
  }

  /** Answers what the API server answers: the object, or a Status while finalizers run. */
  delete(
    ref: ClusterRef,
    options: { resourceVersion?: string; dryRun: boolean },
  ): Promise<ClusterObject | { kind: 'Status' }> {
    return this.#call(ref, () =>
      this.#api.deleteNamespacedCustomObject({
        ...GROUP,
        ...this.#at(ref),
        ...dryRunParam(options.dryRun),
        body: options.resourceVersion
          ? { preconditions: { resourceVersion: options.resourceVersion } }
          : undefined,
      }),
    );
  }

  #at({ plural, namespace, name }: ClusterRef) {
    return { plural, namespace, name };
  }

  async #call<T>(ref: ClusterRef, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw clusterError(error, {
        target: `${ref.kind} ${ref.org}/${ref.name}`,
        server: this.server,
      });
    }
  }
}

function dryRunParam(dryRun: boolean) {
  return dryRun ? { dryRun: 'All' } : {};
}
