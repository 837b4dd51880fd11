/**
 * Maps the portal's namespaces (orgs) to the cluster's namespaces and back. An org without an
 * entry keeps its name; two orgs mapped to one namespace are refused when the config is read.
 */
export class KubernetesNamespaces {
  readonly #toCluster: Map<string, string>;
  readonly #fromCluster: Map<string, string>;

  constructor(mapping: Record<string, string> = {}) {
    this.#toCluster = new Map(Object.entries(mapping));
    this.#fromCluster = new Map(
      Object.entries(mapping).map(([org, namespace]) => [namespace, org]),
    );
  }

  /** The cluster namespace holding an org's objects. */
  toCluster(org: string): string {
    return this.#toCluster.get(org) ?? org;
  }

  /** The org a cluster namespace's objects belong to. */
  fromCluster(namespace: string): string {
    return this.#fromCluster.get(namespace) ?? namespace;
  }
}
