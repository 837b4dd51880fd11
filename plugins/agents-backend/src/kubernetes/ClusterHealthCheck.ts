import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ApiextensionsV1Api,
  AuthorizationV1Api,
  KubeConfig,
  VersionApi,
} from '@kubernetes/client-node';
import { findKind, KubernetesHealth } from '@krate/plugin-agents-common';
import { KubernetesModeConfig } from './KubernetesModeConfig';
import { requiredAccess } from './requiredAccess';

const CRDS_FORBIDDEN = 'get customresourcedefinitions.apiextensions.k8s.io';

export interface ClusterHealthCheckOptions {
  kubeConfig: KubeConfig;
  mode: KubernetesModeConfig;
  logger: LoggerService;
  /** The informers' state, from the Kubernetes store. */
  informers?: () => KubernetesHealth['informers'];
  /** How long one answer is reused; default 10 s. */
  cacheMs?: number;
}

/**
 * Whether the cluster can serve Kubernetes mode: the API server answers, the CRDs of the
 * cluster-backed kinds are installed, and the backend's own identity may do what the mode needs
 * (asked with SelfSubjectAccessReviews). It reports, it never throws: a backend facing a broken
 * cluster stays up and says why in `/health` and in one log line per change of state.
 */
export class ClusterHealthCheck {
  readonly #options: ClusterHealthCheckOptions;
  #cached?: { at: number; health: KubernetesHealth };
  #lastLogged?: string;

  constructor(options: ClusterHealthCheckOptions) {
    this.#options = options;
  }

  async check(): Promise<KubernetesHealth> {
    const cacheMs = this.#options.cacheMs ?? 10_000;
    if (this.#cached && Date.now() - this.#cached.at < cacheMs) {
      return this.#withInformers(this.#cached.health);
    }
    const health = await this.#probe();
    this.#cached = { at: Date.now(), health };
    this.#log(health);
    return this.#withInformers(health);
  }

  #withInformers(health: KubernetesHealth): KubernetesHealth {
    const informers = this.#options.informers?.();
    if (!informers) return health;
    const unsynced = informers.filter(i => !i.synced);
    return {
      ...health,
      informers,
      status:
        health.status === 'ok' && unsynced.length ? 'degraded' : health.status,
    };
  }

  async #probe(): Promise<KubernetesHealth> {
    const { kubeConfig, mode } = this.#options;
    const server = kubeConfig.getCurrentCluster()?.server ?? '(no cluster)';
    let version: string;
    try {
      const info = await kubeConfig.makeApiClient(VersionApi).getCode();
      version = info.gitVersion;
    } catch (error) {
      return {
        status: 'unavailable',
        server,
        message: `The Kubernetes API server at ${server} does not answer: ${describe(
          error,
        )}`,
        missingCrds: [],
        missingPermissions: [],
      };
    }
    let missingCrds: string[];
    let missingPermissions: string[];
    try {
      missingCrds = await this.#missingCrds(mode.clusterKinds);
      missingPermissions = await this.#missingPermissions();
    } catch (error) {
      return {
        status: 'degraded',
        server,
        version,
        message: `Kubernetes mode at ${server} could not be checked: ${describe(
          error,
        )}`,
        missingCrds: [],
        missingPermissions: [],
      };
    }
    if (missingCrds.includes(CRDS_FORBIDDEN)) {
      missingCrds = [];
      missingPermissions.unshift(CRDS_FORBIDDEN);
    }
    const problems = [
      ...(missingCrds.length
        ? [
            `CRDs not installed: ${missingCrds.join(
              ', ',
            )} (kubectl apply -f plugins/agents-common/crds/)`,
          ]
        : []),
      ...(missingPermissions.length
        ? [`the backend's identity may not: ${missingPermissions.join('; ')}`]
        : []),
    ];
    return {
      status: problems.length ? 'degraded' : 'ok',
      server,
      version,
      message: problems.length
        ? `Kubernetes mode at ${server} is degraded: ${problems.join('. ')}`
        : `Kubernetes mode at ${server} (${version}) is ready`,
      missingCrds,
      missingPermissions,
    };
  }

  async #missingCrds(kinds: string[]): Promise<string[]> {
    const api = this.#options.kubeConfig.makeApiClient(ApiextensionsV1Api);
    const missing: string[] = [];
    for (const kind of kinds) {
      const name = `${findKind(kind)!.plural}.agents.krate.dev`;
      try {
        await api.readCustomResourceDefinition({ name });
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 403) return [CRDS_FORBIDDEN];
        if (code !== 404) throw error;
        missing.push(name);
      }
    }
    return missing;
  }

  async #missingPermissions(): Promise<string[]> {
    const api = this.#options.kubeConfig.makeApiClient(AuthorizationV1Api);
    const missing: string[] = [];
    for (const access of requiredAccess(this.#options.mode)) {
      const review = await api.createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              group: access.group,
              resource: access.resource,
              subresource: access.subresource,
              verb: access.verb,
              namespace: access.namespace,
            },
          },
        },
      });
      if (!review.status?.allowed) missing.push(access.describe);
    }
    return missing;
  }

  #log(health: KubernetesHealth) {
    if (health.message === this.#lastLogged) return;
    this.#lastLogged = health.message;
    if (health.status === 'ok') this.#options.logger.info(health.message);
    else this.#options.logger.warn(health.message);
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return [(error as Error).message, cause].filter(Boolean).join(': ');
}
