import { ServiceUnavailableError } from '@backstage/errors';
import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import { CoreV1Api } from '@kubernetes/client-node';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ResourceStore } from '../../resources/ResourceStore';
import { AttemptPodStatus } from './PodAttemptRunner';
import { CREDENTIAL_KEY } from './runnerDecisions';
import { ATTEMPT_REF_ANNOTATION } from './runnerPodManifests';
import { apiErrorMessage, isStatus } from './RunnerPods';

/** How many attempts' credential digests are kept in memory. */
const MAX_CACHED = 5000;

const digestOf = (value: string | Buffer) =>
  createHash('sha256').update(value).digest();

/**
 * Checks the credential a runner pod presents for its attempt. The credential lives only in the
 * attempt's Secret in the pool's namespace (and in the runner's environment): the backend reads
 * it from there, so it survives a restart without being stored anywhere a reader of the agents
 * API could see, and keeps only its SHA-256 in memory. Digests are compared in constant time.
 */
export class RunnerCredentials {
  readonly #core: CoreV1Api;
  readonly #store: ResourceStore;
  readonly #digests = new Map<string, Buffer>();

  constructor(options: { core: CoreV1Api; store: ResourceStore }) {
    this.#core = options.core;
    this.#store = options.store;
  }

  /** Whether `presented` is the credential of attempt `namespace/attempt`'s runner pod. */
  async verify(
    namespace: string,
    attempt: string,
    presented: string,
  ): Promise<boolean> {
    const expected = await this.#expected(namespace, attempt);
    return Boolean(expected) && timingSafeEqual(digestOf(presented), expected!);
  }

  async #expected(
    namespace: string,
    attempt: string,
  ): Promise<Buffer | undefined> {
    const ref = `${namespace}/${attempt}`;
    const cached = this.#digests.get(ref);
    if (cached) return cached;
    const stored = (await this.#store.get(
      'AgentDispatchAttempt',
      namespace,
      attempt,
    )) as AgentDispatchAttempt | undefined;
    const pod = stored?.status?.pod as AttemptPodStatus | undefined;
    if (!pod) return undefined;
    let data: Record<string, string> | undefined;
    try {
      const secret = await this.#core.readNamespacedSecret({
        namespace: pod.namespace,
        name: pod.name,
      });
      if (secret.metadata?.annotations?.[ATTEMPT_REF_ANNOTATION] !== ref) {
        return undefined;
      }
      data = secret.data;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw new ServiceUnavailableError(
        `The cluster did not answer: ${apiErrorMessage(error)}`,
      );
    }
    const credential = data?.[CREDENTIAL_KEY];
    if (!credential) return undefined;
    const digest = digestOf(Buffer.from(credential, 'base64').toString('utf8'));
    if (this.#digests.size >= MAX_CACHED) {
      this.#digests.delete(this.#digests.keys().next().value!);
    }
    this.#digests.set(ref, digest);
    return digest;
  }
}
