import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentStack, AgentTriggerRule } from '@krate/plugin-agents-common';
import { ResourceStore } from '../../resources/ResourceStore';
import { TRIGGER_CONTROLLER_ACTOR } from '../../triggers/TriggerDeliveries';
import { WebhookEndpoint } from '../../triggers/webhookEndpoints';
import { ChangeFeedLoop, ChangeFeedTiming } from '../ChangeFeedLoop';
import { StatusReconciler } from '../StatusReconciler';
import { ruleStatus } from './ruleStatus';

/** A rule and the stack it targets. */
export const TRIGGER_RULE_INPUT_KINDS = [
  'AgentTriggerRule',
  'AgentStack',
] as const;

export interface TriggerRuleControllerOptions extends ChangeFeedTiming {
  store: ResourceStore;
  logger: LoggerService;
  /** The endpoints of `agents.webhooks`, through which the rules' events arrive. */
  endpoints: ReadonlyMap<string, WebhookEndpoint>;
  /** Time between full resyncs of every rule; default 5 min. */
  resyncMs?: number;
}

/**
 * Keeps every AgentTriggerRule's conditions and policy preview current, so a rule says whether
 * it can dispatch before any delivery arrives. A change of a rule reconciles that rule; a change
 * of a stack (spec or status) reconciles the rules of its namespace that target it.
 */
export class TriggerRuleController extends ChangeFeedLoop {
  constructor(options: TriggerRuleControllerOptions) {
    const rules = new StatusReconciler<AgentTriggerRule>({
      kind: 'AgentTriggerRule',
      store: options.store,
      logger: options.logger,
      actor: TRIGGER_CONTROLLER_ACTOR,
      statusOf: async (rule, reader) =>
        ruleStatus(
          rule,
          (await reader.get('AgentStack', rule.spec.stack)) as
            | AgentStack
            | undefined,
          options.endpoints,
          new Date(),
        ),
      referencesOf: rule => [{ kind: 'AgentStack', name: rule.spec.stack }],
      onWritten: (before, after) => logReady(options.logger, before, after),
    });
    super({
      ...options,
      name: 'Trigger rule controller',
      kinds: TRIGGER_RULE_INPUT_KINDS,
      reconciler: rules,
      resyncMs: options.resyncMs ?? 300_000,
    });
  }
}

function logReady(
  logger: LoggerService,
  before: AgentTriggerRule,
  after: AgentTriggerRule,
) {
  const ready = after.status?.conditions?.find(c => c.type === 'Ready');
  const was = before.status?.conditions?.find(c => c.type === 'Ready');
  if (!ready || (was?.status === ready.status && was.reason === ready.reason)) {
    return;
  }
  const { namespace, name } = after.metadata;
  logger.info(
    `AgentTriggerRule ${namespace}/${name} is Ready=${ready.status} (${ready.reason})`,
  );
}
