import {
  AGENTS_API_GROUP_VERSION,
  AgentTriggerRule,
  TRIGGER_RULE_LABEL,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { StoredResource } from '../resources/ResourceStore';
import { TriggerEvaluation } from './TriggerEvaluator';

/** The AgentTriggerExecution of one evaluation: a dry-run's, or a delivery's or slot's with its run. */
export function executionRecord(
  rule: AgentTriggerRule,
  event: TriggerDryRunRequest,
  evaluation: Pick<
    TriggerEvaluation,
    'matched' | 'outcome' | 'dedupeKey' | 'reason' | 'joins'
  >,
  options: {
    name: string;
    dryRun?: boolean;
    delivery?: string;
    scheduledTime?: string;
    message?: string;
    /** The run the delivery created. */
    run?: string;
    /** The approval the run waits for. */
    approval?: string;
  },
): StoredResource {
  const { namespace, name, generation } = rule.metadata;
  const run = evaluation.joins ?? options.run;
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: 'AgentTriggerExecution',
    metadata: {
      name: options.name,
      namespace,
      labels: { [TRIGGER_RULE_LABEL]: name },
    },
    spec: {
      rule: name,
      ...(generation ? { ruleGeneration: generation } : {}),
      source: event.source,
      ...(options.delivery ? { delivery: options.delivery } : {}),
      ...(options.scheduledTime
        ? { scheduledTime: options.scheduledTime }
        : {}),
      ...(event.repository ? { repository: event.repository } : {}),
      ...(options.dryRun ? { dryRun: true, sampleEvent: event.event } : {}),
    },
    status: {
      matched: evaluation.matched,
      outcome: evaluation.outcome,
      ...(evaluation.dedupeKey !== undefined
        ? { dedupeKey: evaluation.dedupeKey }
        : {}),
      ...(evaluation.outcome === 'rejected'
        ? { rejectionReason: evaluation.reason }
        : {}),
      ...(run ? { run } : {}),
      ...(options.message ? { message: options.message } : {}),
      ...(options.approval
        ? { approval: { name: options.approval, state: 'pending' } }
        : {}),
    },
  };
}
