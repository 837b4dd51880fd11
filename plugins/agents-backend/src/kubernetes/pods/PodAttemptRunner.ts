import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AgentDispatchRun,
  AgentSecretGrant,
} from '@krate/plugin-agents-common';
import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
} from '@krate/plugin-agents-node';
import { V1Pod } from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { AttemptHost } from '../../dispatch/AttemptHost';
import { ResourceStore } from '../../resources/ResourceStore';
import { RunnerPool } from '../RunnerPool';
import { PodFollower } from './PodFollower';
import { podRunId, PodRef, runnerPodName } from './podNames';
import { podGrantedSecrets } from './podGrantedSecrets';
import { podLaunchFileOf } from './runner/PodLaunchFile';
import { CatalogComponent, RepositoryComponents } from './repositoryComponents';
import {
  CREDENTIAL_ENV,
  CREDENTIAL_KEY,
  DECISIONS_URL_ENV,
  runnerDecisionsUrl,
} from './runnerDecisions';
import {
  ATTEMPT_REF_ANNOTATION,
  RunnerPodInput,
  runnerConfigMap,
  runnerPod,
  runnerSecret,
} from './runnerPodManifests';
import { apiErrorMessage, isStatus, RunnerPods } from './RunnerPods';
import { runnerSecretEnv } from './runnerSecretEnv';
import { workspaceOutsidePool } from './workspaceOutsidePool';

/** Where an attempt ran, as its status shows it (`status.pod`). */
export interface AttemptPodStatus {
  namespace: string;
  name: string;
  pool: string;
  /** The catalog entity ref of the run's repository component, for the link to its pods. */
  component?: string;
}

/**
 * Runs attempts as runner pods: creates the attempt's Secret (the runner's credential and the
 * granted values), launch ConfigMap and Pod in the pool's namespace, binds the pod as the
 * attempt's runtime run before it starts, and follows it to the outcome; after a backend restart
 * it re-attaches to the pod the attempt is bound to.
 */
export class PodAttemptRunner {
  readonly #pods: RunnerPods;
  readonly #follower: PodFollower;
  readonly #store: ResourceStore;
  readonly #components?: RepositoryComponents;
  readonly #logger: LoggerService;

  constructor(options: {
    pods: RunnerPods;
    follower: PodFollower;
    store: ResourceStore;
    components?: RepositoryComponents;
    logger: LoggerService;
  }) {
    this.#pods = options.pods;
    this.#follower = options.follower;
    this.#store = options.store;
    this.#components = options.components;
    this.#logger = options.logger;
  }

  async start(
    runtimeId: string,
    launch: AgentLaunch,
    host: AgentAttemptHost,
    pool: RunnerPool,
  ): Promise<AgentAttemptOutcome> {
    const outside = workspaceOutsidePool(launch.workingDirectory, pool);
    if (outside) {
      host.emit({
        type: 'error',
        code: outside.reason,
        message: outside.message!,
      });
      return outside;
    }
    const ref = {
      namespace: pool.namespace,
      name: runnerPodName(launch.attempt),
    };
    const { input, component } = await this.#podInput(
      runtimeId,
      launch,
      host,
      pool,
      ref,
    );
    await this.#bind(host, ref, pool, component);
    const pod = await this.#create(input).catch(
      (error): AgentAttemptOutcome => ({
        phase: 'Failed',
        reason: 'PodNotCreated',
        message: `The runner pod ${ref.namespace}/${
          ref.name
        } could not be created: ${apiErrorMessage(error)}`,
      }),
    );
    if ('phase' in pod) {
      host.emit({ type: 'error', code: pod.reason, message: pod.message! });
      return pod;
    }
    host.emit({
      type: 'runtime_event',
      runtimeType: 'pod_created',
      data: { namespace: ref.namespace, name: ref.name, pool: pool.name },
    });
    return this.#followToEnd(ref, { pod: ref, pool, launch, host, lastSeq: 0 });
  }

  async reattach(
    launch: AgentLaunch,
    host: AgentAttemptHost,
    ref: PodRef,
    pool: RunnerPool,
  ): Promise<AgentAttemptOutcome> {
    if (!(await this.#pods.read(ref))) {
      return {
        phase: 'Failed',
        reason: 'RuntimeLost',
        message: `The runner pod ${ref.namespace}/${ref.name} of this attempt is gone; what it did after the last stored event is unknown. Retry or resume the run.`,
      };
    }
    return this.#followToEnd(ref, {
      pod: ref,
      pool,
      launch,
      host,
      lastSeq: launch.reattach?.lastRuntimeSeq ?? 0,
    });
  }

  async #followToEnd(
    ref: PodRef,
    options: Parameters<PodFollower['follow']>[0],
  ): Promise<AgentAttemptOutcome> {
    const outcome = await this.#follower.follow(options);
    if (!options.host.signal.aborted || outcome.phase === 'Cancelled') {
      // The launch file holds the prompt, the Secret the granted values and the runner's
      // credential: they go once the attempt has ended.
      const gone = (kind: string) => (error: unknown) =>
        isStatus(error, 404)
          ? undefined
          : this.#logger.warn(
              `Could not delete ${kind} ${ref.namespace}/${ref.name}: ${error}`,
            );
      await Promise.all([
        this.#pods.core.deleteNamespacedConfigMap(ref).catch(gone('ConfigMap')),
        this.#pods.core.deleteNamespacedSecret(ref).catch(gone('Secret')),
      ]);
    }
    return outcome;
  }

  async #podInput(
    runtimeId: string,
    launch: AgentLaunch,
    host: AgentAttemptHost,
    pool: RunnerPool,
    pod: PodRef,
  ): Promise<{ input: RunnerPodInput; component?: CatalogComponent }> {
    const [run, grants] = await Promise.all([
      this.#store.get('AgentDispatchRun', launch.namespace, launch.run),
      this.#store.list('AgentSecretGrant', {
        namespace: launch.namespace,
        limit: 1000,
      }),
    ]);
    const repository = (run as AgentDispatchRun | undefined)?.spec.repository;
    const component = repository
      ? await this.#components?.componentOf(repository).catch(error => {
          this.#logger.warn(
            `Could not find the catalog component of ${repository}: ${error}`,
          );
          return undefined;
        })
      : undefined;
    const { env, clashes } = runnerSecretEnv(
      grants.items as AgentSecretGrant[],
      launch.profile.runnerServiceAccount,
      new Date(),
    );
    clashes.forEach(message =>
      host.emit({ type: 'warning', code: 'SecretNotExposed', message }),
    );
    const granted = podGrantedSecrets(launch.secrets, pod.name);
    const credential = randomBytes(32).toString('base64url');
    return {
      input: {
        pod,
        pool,
        launch,
        launchFile: podLaunchFileOf(runtimeId, launch, granted.granted),
        repository,
        component: component?.name,
        secretEnv: env,
        runnerEnv: [
          {
            name: DECISIONS_URL_ENV,
            value: runnerDecisionsUrl(
              pool.backendUrl,
              launch.namespace,
              launch.attempt,
            ),
          },
          {
            name: CREDENTIAL_ENV,
            valueFrom: {
              secretKeyRef: { name: pod.name, key: CREDENTIAL_KEY },
            },
          },
          ...granted.env,
        ],
        secretData: { [CREDENTIAL_KEY]: credential, ...granted.data },
      },
      component,
    };
  }

  /** Binds the pod as the runtime run before it exists, so a restart finds it. */
  async #bind(
    host: AgentAttemptHost,
    ref: PodRef,
    pool: RunnerPool,
    component?: CatalogComponent,
  ) {
    const runtimeRunId = podRunId(ref);
    if (!(host instanceof AttemptHost)) {
      await host.bindRuntimeRun(runtimeRunId);
      return;
    }
    const pod: AttemptPodStatus = {
      ...ref,
      pool: pool.name,
      ...(component
        ? { component: `component:${component.namespace}/${component.name}` }
        : {}),
    };
    await host.updateAttempt(status => ({ ...status, runtimeRunId, pod }));
  }

  /**
   * Creates the attempt's Secret, the launch ConfigMap and the pod; a pod of this attempt that
   * exists is kept, and so is its Secret (the pod holds that credential).
   */
  async #create(input: RunnerPodInput): Promise<V1Pod | AgentAttemptOutcome> {
    const { core } = this.#pods;
    const { namespace, name } = input.pod;
    const attemptRef = `${input.launch.namespace}/${input.launch.attempt}`;
    try {
      await core.createNamespacedSecret({
        namespace,
        body: runnerSecret(input),
      });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      const existing = await core.readNamespacedSecret({ namespace, name });
      if (
        existing.metadata?.annotations?.[ATTEMPT_REF_ANNOTATION] !== attemptRef
      ) {
        return {
          phase: 'Failed',
          reason: 'PodNameTaken',
          message: `A Secret ${namespace}/${name} that is not this attempt's exists already`,
        };
      }
    }
    const configMap = runnerConfigMap(input);
    try {
      await core.createNamespacedConfigMap({ namespace, body: configMap });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      await core.replaceNamespacedConfigMap({
        name,
        namespace,
        body: configMap,
      });
    }
    try {
      return await core.createNamespacedPod({
        namespace,
        body: runnerPod(input),
      });
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
      const existing = await this.#pods.read(input.pod);
      const attempt = existing?.metadata?.annotations?.[ATTEMPT_REF_ANNOTATION];
      if (existing && attempt === attemptRef) {
        return existing;
      }
      return {
        phase: 'Failed',
        reason: 'PodNameTaken',
        message: `A pod ${namespace}/${name} that is not this attempt's exists already`,
      };
    }
  }
}
