import { NotFoundError } from '@backstage/errors';
import { AgentStack, Condition } from '@krate/plugin-agents-common';
import { AgentRuntime, LaunchProfile } from '@krate/plugin-agents-node';
import { digestOf } from '../../resources/digest';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { buildLaunchProfile } from './buildLaunchProfile';
import { checkApprovals } from './checkApprovals';
import { checkCapabilities } from './checkCapabilities';
import {
  checkClusterGrants,
  checkGrants,
  GrantAccessReview,
} from './checkGrants';
import { checkMcpServers } from './checkMcpServers';
import { checkSecrets, SecretPresence } from './checkSecrets';
import { checkScript, SCRIPTED_RUNTIME_ID } from './checkScript';
import { collectReferences } from './collectReferences';
import { NamespaceReader } from '../NamespaceReader';
import { RuntimeAvailability } from './RuntimeAvailability';
import {
  readinessOf,
  StackProblem,
  StackReadiness,
  stackConditions,
} from './stackConditions';

/** A stack with every reference resolved and checked: what a run launched now would snapshot. */
export interface ResolvedStack {
  stack: AgentStack;
  profile: LaunchProfile;
  /** `sha256:<hex>` of the profile's canonical JSON. */
  digest: string;
  readiness: StackReadiness;
  conditions: Condition[];
}

export interface ResolveOptions {
  /**
   * Conditions to keep transition times from; default the stack's current status conditions.
   */
  previousConditions?: Condition[];
  /** Shares reads between the stacks of one namespace. */
  reader?: NamespaceReader;
  now?: Date;
}

export interface StackResolverOptions {
  store: ResourceStore;
  runtimes: RuntimeRegistry;
  /** Default: answers reused for 5 s. */
  availability?: RuntimeAvailability;
  /** In Kubernetes mode: checks that the cluster lets service accounts read what they are granted. */
  accessReview?: GrantAccessReview;
  /** Whether granted keys are held by a secret source (MissingSecret); unchecked when absent. */
  secrets?: SecretPresence;
}

/**
 * Resolves an AgentStack into its effective launch profile and readiness. The stack controller
 * keeps stack status current with it; the dispatcher calls it at dispatch time to snapshot the
 * profile, so it reads the store itself and holds no state beyond availability answers.
 */
export class StackResolver {
  readonly #store: ResourceStore;
  readonly #runtimes: RuntimeRegistry;
  readonly #availability: RuntimeAvailability;
  readonly #accessReview?: GrantAccessReview;
  readonly #secrets?: SecretPresence;

  constructor(options: StackResolverOptions) {
    this.#store = options.store;
    this.#runtimes = options.runtimes;
    this.#availability = options.availability ?? new RuntimeAvailability();
    this.#accessReview = options.accessReview;
    this.#secrets = options.secrets;
  }

  async resolve(
    namespace: string,
    name: string,
    options: ResolveOptions = {},
  ): Promise<ResolvedStack> {
    const reader =
      options.reader ?? new NamespaceReader(this.#store, namespace);
    const stack = await reader.get('AgentStack', name);
    if (!stack) {
      throw new NotFoundError(`AgentStack ${namespace}/${name} not found`);
    }
    return this.resolveObject(stack as AgentStack, { ...options, reader });
  }

  async resolveObject(
    stack: AgentStack,
    options: ResolveOptions = {},
  ): Promise<ResolvedStack> {
    const now = options.now ?? new Date();
    const reader =
      options.reader ??
      new NamespaceReader(this.#store, stack.metadata.namespace);
    const runtime = this.#runtimes.get(stack.spec.runtime);
    const [runtimeProblems, references] = await Promise.all([
      this.#checkRuntime(stack, runtime),
      collectReferences(stack, reader),
    ]);
    const profile = buildLaunchProfile(stack, references);
    const problems: StackProblem[] = [
      ...runtimeProblems,
      ...references.problems,
      ...(runtime
        ? checkCapabilities(stack, runtime, references, this.#runtimes)
        : []),
      ...checkMcpServers(stack, references),
      ...(await checkGrants(stack, references, reader, now)),
      ...(this.#secrets
        ? await checkSecrets(stack, references, reader, this.#secrets, now)
        : []),
      ...(this.#accessReview
        ? await checkClusterGrants(
            stack,
            references,
            reader,
            this.#accessReview,
            now,
          )
        : []),
      ...checkApprovals(stack, profile, runtime),
      ...(stack.spec.runtime === SCRIPTED_RUNTIME_ID
        ? checkScript(stack, references)
        : []),
    ];
    return {
      stack,
      profile,
      digest: digestOf(profile),
      readiness: readinessOf(problems),
      conditions: stackConditions(
        problems,
        options.previousConditions ?? stack.status?.conditions,
        now,
      ),
    };
  }

  async #checkRuntime(
    stack: AgentStack,
    runtime: AgentRuntime | undefined,
  ): Promise<StackProblem[]> {
    const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
    if (!runtime) {
      const ids = this.#runtimes.list().map(r => r.id);
      return [
        {
          severity: 'Invalid',
          reason: 'RuntimeNotRegistered',
          message: `${ref} names runtime '${
            stack.spec.runtime
          }', which no installed module registers. ${
            ids.length
              ? `Registered runtimes: ${ids.join(
                  ', ',
                )}. Set spec.runtime to one of them or install the module that provides '${
                  stack.spec.runtime
                }'.`
              : `No runtime is registered; install a runtime module in the backend.`
          }`,
        },
      ];
    }
    const availability = await this.#availability.check(runtime);
    if (availability.available) return [];
    return [
      {
        severity: 'Invalid',
        reason: 'RuntimeUnavailable',
        message: `Runtime '${
          runtime.id
        }' of ${ref} cannot run on this backend: ${availability.reason.replace(
          /\.$/,
          '',
        )}.${availability.hint ? ` ${availability.hint}` : ''}`,
      },
    ];
  }
}
