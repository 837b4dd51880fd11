import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { RunnerPool } from '../RunnerPool';
import { PodAttemptRunner } from './PodAttemptRunner';
import { PodFollower } from './PodFollower';
import { PodPlacedRuntime } from './PodPlacedRuntime';
import { DEFAULT_POD_TIMING, PodTiming } from './PodTiming';
import { RepositoryComponents } from './repositoryComponents';
import { RunnerPods } from './RunnerPods';

export interface PodPlacementOptions {
  /** `agents.kubernetes.runnerPools`. */
  pools: RunnerPool[];
  /** The cluster the pools are in, as the backend itself. */
  kubeConfig: KubeConfig;
  /** Where the runs and the secret grants are. */
  store: ResourceStore;
  logger: LoggerService;
  /** The catalog components of repositories, for `backstage.io/kubernetes-id`. */
  components?: RepositoryComponents;
  timing?: Partial<PodTiming>;
}

/**
 * Places attempts of stacks whose `runnerPolicy.pool` names one of the runner pools in a pod of
 * that pool; every other attempt runs on this host as before. Dispatch sees the placed runtimes
 * through `over(registry)`.
 */
export class PodPlacement {
  readonly #pools: ReadonlyMap<string, RunnerPool>;
  readonly #runner: PodAttemptRunner;

  constructor(options: PodPlacementOptions) {
    this.#pools = new Map(options.pools.map(pool => [pool.name, pool]));
    const pods = new RunnerPods(options.kubeConfig.makeApiClient(CoreV1Api));
    this.#runner = new PodAttemptRunner({
      pods,
      follower: new PodFollower({
        pods,
        kubeConfig: options.kubeConfig,
        timing: { ...DEFAULT_POD_TIMING, ...options.timing },
      }),
      store: options.store,
      components: options.components,
      logger: options.logger,
    });
  }

  /** `runtime`, placing the attempts of pool stacks in pods. */
  wrap(runtime: AgentRuntime): AgentRuntime {
    return new PodPlacedRuntime(runtime, this.#pools, this.#runner);
  }

  /** A registry of the registered runtimes, each placed (for the dispatch engine only). */
  over(registry: RuntimeRegistry): RuntimeRegistry {
    const placed = new RuntimeRegistry();
    registry.list().forEach(runtime => placed.addRuntime(this.wrap(runtime)));
    return placed;
  }
}
