import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentStack } from '@krate/plugin-agents-common';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeRegistry } from '../../runtimes/RuntimeRegistry';
import { ChangeFeedLoop, ChangeFeedTiming } from '../ChangeFeedLoop';
import { StatusReconciler } from '../StatusReconciler';
import { GrantAccessReview } from './checkGrants';
import { SecretPresence } from './checkSecrets';
import { RuntimeAvailability } from './RuntimeAvailability';
import { StackResolver } from './StackResolver';

/** The actor of the controller's status writes in the audit trail. */
export const STACK_CONTROLLER_ACTOR = 'agents:stack-controller';

/** Kinds whose objects a stack may refer to, and the stack itself. */
export const STACK_INPUT_KINDS = [
  'AgentStack',
  'AgentSubagent',
  'AgentToolProfile',
  'AgentMcpServer',
  'AgentSkill',
  'AgentServiceAccount',
  'AgentSecretGrant',
  'AgentConfigGrant',
  'AgentWorkspacePolicy',
  'AgentContextLabel',
] as const;

export interface StackControllerOptions extends ChangeFeedTiming {
  store: ResourceStore;
  runtimes: RuntimeRegistry;
  logger: LoggerService;
  /**
   * How often runtime availability is asked again and every stack re-resolved (which also
   * catches grants that expired meanwhile); default 60 s.
   */
  availabilityRecheckMs?: number;
  /**
   * Kubernetes mode: asks the cluster whether service accounts can read the Secrets and
   * ConfigMaps granted to them; a stack whose grant the cluster denies gets a warning.
   */
  accessReview?: GrantAccessReview;
  /** Reports granted keys no secret source holds (MissingSecret). */
  secrets?: SecretPresence;
}

/**
 * Keeps every AgentStack's status (readiness, conditions, effective profile and its digest)
 * current. It reconciles all stacks on start and on each availability recheck, and in between
 * follows the store's change feed: a change of a stack re-resolves that stack, a change of any
 * other object a stack may refer to re-resolves the stacks of its namespace.
 */
export class StackController extends ChangeFeedLoop {
  constructor(options: StackControllerOptions) {
    const recheckMs = options.availabilityRecheckMs ?? 60_000;
    const availability = new RuntimeAvailability({ maxAgeMs: recheckMs });
    const resolver = new StackResolver({
      store: options.store,
      runtimes: options.runtimes,
      availability,
      accessReview: options.accessReview,
      secrets: options.secrets,
    });
    const stacks = new StatusReconciler<AgentStack>({
      kind: 'AgentStack',
      store: options.store,
      logger: options.logger,
      actor: STACK_CONTROLLER_ACTOR,
      async statusOf(stack, reader) {
        const resolved = await resolver.resolveObject(stack, { reader });
        return {
          ...stack.status,
          observedGeneration: stack.metadata.generation,
          readiness: resolved.readiness,
          conditions: resolved.conditions,
          profileDigest: resolved.digest,
          effectiveProfile: resolved.profile,
        };
      },
      onWritten: (before, after) => logReadiness(options.logger, before, after),
    });
    super({
      ...options,
      name: 'Stack controller',
      kinds: STACK_INPUT_KINDS,
      reconciler: stacks,
      resyncMs: recheckMs,
      onResync: () => availability.clear(),
    });
  }
}

function logReadiness(
  logger: LoggerService,
  before: AgentStack,
  after: AgentStack,
) {
  const readiness = after.status?.readiness;
  if (before.status?.readiness === readiness) return;
  const reasons = (after.status?.conditions ?? [])
    .filter(c => c.type !== 'Ready')
    .map(c => c.reason);
  const { namespace, name } = after.metadata;
  logger.info(
    `AgentStack ${namespace}/${name} is ${readiness}${
      reasons.length ? ` (${reasons.join(', ')})` : ''
    }`,
  );
}
