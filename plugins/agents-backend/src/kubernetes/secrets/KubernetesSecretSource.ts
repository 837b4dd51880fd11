import { CoreV1Api, KubeConfig, V1ObjectMeta } from '@kubernetes/client-node';
import {
  AgentSecretSource,
  SecretKeyRef,
  SecretObjectMetadata,
} from '@krate/plugin-agents-node';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { apiStatusOf } from '../rbac/kubernetesApiErrors';

export interface KubernetesSecretSourceOptions {
  kubeConfig: KubeConfig;
  namespaces: KubernetesNamespaces;
  /** How long a listing is reused (readiness lists once per stack); default 5 s. */
  maxAgeMs?: number;
}

const PAGE = 500;

/** The latest managedFields time, else the creation time: when a value last changed. */
function lastRotationOf(
  metadata: V1ObjectMeta | undefined,
): string | undefined {
  const times = (metadata?.managedFields ?? [])
    .map(entry => entry.time)
    .filter((time): time is Date => time !== undefined)
    .map(time => new Date(time).getTime());
  if (times.length) return new Date(Math.max(...times)).toISOString();
  return metadata?.creationTimestamp
    ? new Date(metadata.creationTimestamp).toISOString()
    : undefined;
}

/**
 * Kubernetes mode's secrets: the Secrets and ConfigMaps of the org's cluster namespace. A
 * listing keeps names and key names only; a read fetches one object and returns one key,
 * base64-decoded for a Secret.
 */
export class KubernetesSecretSource implements AgentSecretSource {
  readonly id = 'kubernetes';
  readonly #api: CoreV1Api;
  readonly #namespaces: KubernetesNamespaces;
  readonly #maxAgeMs: number;
  readonly #listings = new Map<
    string,
    { at: number; objects: Promise<SecretObjectMetadata[]> }
  >();

  constructor(options: KubernetesSecretSourceOptions) {
    this.#api = options.kubeConfig.makeApiClient(CoreV1Api);
    this.#namespaces = options.namespaces;
    this.#maxAgeMs = options.maxAgeMs ?? 5_000;
  }

  list(org: string): Promise<SecretObjectMetadata[]> {
    const cached = this.#listings.get(org);
    if (cached && Date.now() - cached.at < this.#maxAgeMs) {
      return cached.objects;
    }
    const objects = this.#listAll(this.#namespaces.toCluster(org));
    this.#listings.set(org, { at: Date.now(), objects });
    objects.catch(() => this.#listings.delete(org));
    return objects;
  }

  async read(org: string, ref: SecretKeyRef): Promise<string | undefined> {
    const namespace = this.#namespaces.toCluster(org);
    try {
      if (ref.source === 'Secret') {
        const secret = await this.#api.readNamespacedSecret({
          namespace,
          name: ref.name,
        });
        const encoded = secret.data?.[ref.key];
        return encoded === undefined
          ? undefined
          : Buffer.from(encoded, 'base64').toString('utf8');
      }
      const configMap = await this.#api.readNamespacedConfigMap({
        namespace,
        name: ref.name,
      });
      const text = configMap.data?.[ref.key];
      if (text !== undefined) return text;
      const binary = configMap.binaryData?.[ref.key];
      return binary === undefined
        ? undefined
        : Buffer.from(binary, 'base64').toString('utf8');
    } catch (error) {
      if (apiStatusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async #listAll(namespace: string): Promise<SecretObjectMetadata[]> {
    const objects: SecretObjectMetadata[] = [];
    let token: string | undefined;
    do {
      const page = await this.#api.listNamespacedSecret({
        namespace,
        limit: PAGE,
        _continue: token,
      });
      for (const secret of page.items) {
        objects.push(
          this.#metadata('Secret', secret.metadata, [
            ...Object.keys(secret.data ?? {}),
          ]),
        );
      }
      token = page.metadata?._continue || undefined;
    } while (token);
    do {
      const page = await this.#api.listNamespacedConfigMap({
        namespace,
        limit: PAGE,
        _continue: token,
      });
      for (const configMap of page.items) {
        objects.push(
          this.#metadata('ConfigMap', configMap.metadata, [
            ...Object.keys(configMap.data ?? {}),
            ...Object.keys(configMap.binaryData ?? {}),
          ]),
        );
      }
      token = page.metadata?._continue || undefined;
    } while (token);
    return objects;
  }

  #metadata(
    source: SecretObjectMetadata['source'],
    metadata: V1ObjectMeta | undefined,
    keys: string[],
  ): SecretObjectMetadata {
    const lastRotationTime = lastRotationOf(metadata);
    return {
      source,
      name: metadata?.name ?? '',
      keys,
      from: this.id,
      ...(lastRotationTime ? { lastRotationTime } : {}),
    };
  }
}
