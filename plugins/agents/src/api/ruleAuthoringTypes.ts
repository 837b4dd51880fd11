import {
  AgentTriggerRule,
  TriggerDryRunRequest,
  TriggerEventType,
} from '@krate/plugin-agents-common';

/**
 * The body of `POST /rules/dry-run?namespace=<org>`: a draft rule, not applied yet, beside the
 * sample event.
 * @public
 */
export interface TriggerDraftDryRunRequest extends TriggerDryRunRequest {
  rule: AgentTriggerRule;
}

/** `GET /deliveries/:delivery/payload`: a recorded delivery's kept body, as a sample. @public */
export interface DeliverySample {
  delivery: string;
  /** The sender's event and action, e.g. `issues.labeled`. */
  eventType: string;
  /** The trigger event types it is, most specific first (`label` before `issue`). */
  sources: TriggerEventType[];
  repository?: string;
  /** The body the forge signed; headers and signature are not kept. */
  event: Record<string, unknown>;
}
