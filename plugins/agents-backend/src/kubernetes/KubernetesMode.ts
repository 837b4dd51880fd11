import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { AuditStore } from '../database/AuditStore';
import { Repositories } from '../repositories';
import { ResourceStore } from '../resources/ResourceStore';
import { ClusterHealthCheck } from './ClusterHealthCheck';
import { clusterKubeConfig } from './clusterKubeConfig';
import {
  KubernetesModeConfig,
  readKubernetesModeConfig,
} from './KubernetesModeConfig';
import { catalogRepositoryComponents } from './pods/repositoryComponents';
import { PodPlacement } from './pods/PodPlacement';
import { RunnerCredentials } from './pods/RunnerCredentials';
import {
  ClusterAccessReview,
  NativeRbacReader,
  RbacProjectionController,
} from './rbac';
import { KubernetesResourceStore } from './store/KubernetesResourceStore';
import { KubernetesSecretSource } from './secrets/KubernetesSecretSource';
import { RoutedResourceStore } from './store/RoutedResourceStore';

/**
 * Kubernetes mode's parts, built from `agents.kubernetes`: the store that keeps the
 * configuration kinds in the cluster (and the rest in the database), the cluster's health check,
 * native RBAC projection and access reviews, and runner pods. Absent config: embedded mode.
 */
export class KubernetesMode {
  readonly store: ResourceStore;
  readonly health: ClusterHealthCheck;
  /** With RBAC projection: what the cluster lets service accounts read. */
  readonly accessReview?: ClusterAccessReview;
  /** With RBAC projection: the native RBAC of an org, owned and imported. */
  readonly rbacReader?: NativeRbacReader;
  /** The Secrets and ConfigMaps of the orgs' cluster namespaces, as a secret source. */
  readonly secrets: KubernetesSecretSource;
  /** With runner pools: checks the credential a runner pod reads its decisions with. */
  readonly runnerCredentials?: RunnerCredentials;
  readonly #config: KubernetesModeConfig;
  readonly #kubeConfig: KubeConfig;
  readonly #cluster: KubernetesResourceStore;
  readonly #logger: LoggerService;
  #rbac?: RbacProjectionController;

  static create(options: {
    config: Config;
    database: ResourceStore;
    audit: AuditStore;
    logger: LoggerService;
  }): KubernetesMode | undefined {
    const mode = readKubernetesModeConfig(options.config);
    return mode && new KubernetesMode(mode, options);
  }

  private constructor(
    mode: KubernetesModeConfig,
    options: {
      database: ResourceStore;
      audit: AuditStore;
      logger: LoggerService;
    },
  ) {
    this.#config = mode;
    this.#logger = options.logger;
    this.#kubeConfig = clusterKubeConfig(mode.cluster);
    this.#cluster = new KubernetesResourceStore({
      kubeConfig: this.#kubeConfig,
      kinds: mode.clusterKinds,
      namespaces: mode.namespaces,
      audit: options.audit,
      logger: options.logger.child({ controller: 'kubernetes-store' }),
    });
    this.store = new RoutedResourceStore({
      database: options.database,
      cluster: this.#cluster,
      clusterKinds: mode.clusterKinds,
    });
    this.secrets = new KubernetesSecretSource({
      kubeConfig: this.#kubeConfig,
      namespaces: mode.namespaces,
    });
    if (mode.runnerPools.length) {
      this.runnerCredentials = new RunnerCredentials({
        core: this.#kubeConfig.makeApiClient(CoreV1Api),
        store: this.store,
      });
    }
    this.health = new ClusterHealthCheck({
      kubeConfig: this.#kubeConfig,
      mode,
      logger: options.logger.child({ controller: 'kubernetes-health' }),
      informers: () => this.#cluster.state(),
    });
    if (mode.rbacProjection) {
      this.accessReview = new ClusterAccessReview({
        kubeConfig: this.#kubeConfig,
        namespaces: mode.namespaces,
        logger: options.logger.child({ controller: 'kubernetes-rbac' }),
      });
      this.rbacReader = new NativeRbacReader({
        kubeConfig: this.#kubeConfig,
        namespaces: mode.namespaces,
      });
    }
  }

  /** Runner pods for stacks whose `runnerPolicy.pool` names a pool; none without pools. */
  placement(repositories: Repositories): PodPlacement | undefined {
    if (this.#config.runnerPools.length === 0) return undefined;
    return new PodPlacement({
      pools: this.#config.runnerPools,
      kubeConfig: this.#kubeConfig,
      store: this.store,
      logger: this.#logger.child({ controller: 'runner-pods' }),
      components: catalogRepositoryComponents(repositories),
    });
  }

  /**
   * Syncs the informers (bounded: an unreachable cluster leaves reads answering 503 and the
   * health route saying why) and reports the cluster's health once in the log.
   */
  async start(): Promise<void> {
    await this.#cluster.start();
    await this.health.check();
  }

  /** Projects RBAC intent to native objects, once the backend is up. */
  async startControllers(): Promise<void> {
    if (!this.#config.rbacProjection) return;
    this.#rbac = new RbacProjectionController({
      store: this.store,
      kubeConfig: this.#kubeConfig,
      namespaces: this.#config.namespaces,
      logger: this.#logger.child({ controller: 'kubernetes-rbac' }),
      allowClusterScope: this.#config.allowClusterScope,
    });
    await this.#rbac.start();
  }

  async stop(): Promise<void> {
    await this.#rbac?.stop();
    await this.#cluster.stop();
  }
}
