import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthorizationV1Api, KubeConfig } from '@kubernetes/client-node';
import { KubernetesNamespaces } from '../KubernetesNamespaces';
import { apiMessageOf } from './kubernetesApiErrors';

/** What the cluster says: allowed, denied, or `unknown` when it cannot be asked. */
export type AccessAnswer = boolean | 'unknown';

export interface ClusterAccessReviewOptions {
  kubeConfig: KubeConfig;
  namespaces: KubernetesNamespaces;
  logger?: LoggerService;
  /** How long an answer is reused; default 5 s. */
  maxAgeMs?: number;
}

/**
 * Asks the cluster what a ServiceAccount may do, with a SubjectAccessReview: native RBAC is
 * authoritative, so this is the answer readiness trusts. Where the API cannot be used (403,
 * 404, unreachable) it answers `unknown` and never throws.
 */
export class ClusterAccessReview {
  readonly #api: AuthorizationV1Api;
  readonly #namespaces: KubernetesNamespaces;
  readonly #logger?: LoggerService;
  readonly #maxAgeMs: number;
  readonly #answers = new Map<string, { at: number; answer: AccessAnswer }>();

  constructor(options: ClusterAccessReviewOptions) {
    this.#api = options.kubeConfig.makeApiClient(AuthorizationV1Api);
    this.#namespaces = options.namespaces;
    this.#logger = options.logger;
    this.#maxAgeMs = options.maxAgeMs ?? 5_000;
  }

  /** The cluster namespace of an org, where its ServiceAccounts live. */
  clusterNamespace(org: string): string {
    return this.#namespaces.toCluster(org);
  }

  /**
   * Whether ServiceAccount `namespace/name` may `verb` the core-group `resource` (e.g.
   * `secrets`, `pods/log`) in its namespace, the one named `resourceName` when given.
   */
  async can(
    serviceAccount: { namespace: string; name: string },
    verb: string,
    resource: string,
    resourceName?: string,
  ): Promise<AccessAnswer> {
    const { namespace, name } = serviceAccount;
    const key = JSON.stringify([namespace, name, verb, resource, resourceName]);
    const cached = this.#answers.get(key);
    if (cached && Date.now() - cached.at < this.#maxAgeMs) return cached.answer;
    const answer = await this.#ask(
      namespace,
      name,
      verb,
      resource,
      resourceName,
    );
    this.#answers.set(key, { at: Date.now(), answer });
    return answer;
  }

  async #ask(
    namespace: string,
    name: string,
    verb: string,
    resource: string,
    resourceName: string | undefined,
  ): Promise<AccessAnswer> {
    const [plural, subresource] = resource.split('/');
    try {
      const review = await this.#api.createSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: `system:serviceaccount:${namespace}:${name}`,
            groups: [
              'system:serviceaccounts',
              `system:serviceaccounts:${namespace}`,
            ],
            resourceAttributes: {
              namespace,
              verb,
              group: '',
              resource: plural,
              ...(subresource ? { subresource } : {}),
              ...(resourceName ? { name: resourceName } : {}),
            },
          },
        },
      });
      return review.status?.allowed === true && !review.status.denied;
    } catch (error) {
      this.#logger?.debug(
        `SubjectAccessReview for ServiceAccount ${namespace}/${name} failed: ${apiMessageOf(
          error,
        )}`,
      );
      return 'unknown';
    }
  }
}
