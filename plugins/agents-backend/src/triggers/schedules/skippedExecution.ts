import {
  AgentTriggerRule,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';
import { StoredResource } from '../../resources/ResourceStore';
import { executionRecord } from '../executionRecord';

type Skipped = {
  count: number;
  atLeast?: boolean;
  first: string;
  last: string;
};

/**
 * The AgentTriggerExecution saying a rule's missed slots were skipped (`missedSchedule: skip`),
 * named after the last of them so two instances recording the same skip write one record.
 */
export function skippedExecution(
  rule: AgentTriggerRule,
  skipped: Skipped,
  identity: string,
  event: TriggerDryRunRequest,
): StoredResource {
  const key = createHash('sha256')
    .update(`skip/${identity}/${skipped.last}`)
    .digest('hex');
  const slots = `${skipped.atLeast ? 'at least ' : ''}${skipped.count} slot${
    skipped.count === 1 ? '' : 's'
  }`;
  const span =
    skipped.first === skipped.last
      ? skipped.first
      : `${skipped.first} to ${skipped.last}`;
  const policy = rule.spec.source.missedSchedule ?? 'skip';
  const record = executionRecord(
    rule,
    event,
    { matched: false, outcome: 'skipped' },
    {
      name: `${rule.metadata.name.slice(0, 40)}-${key.slice(0, 12)}`,
      scheduledTime: skipped.last,
      message: `Skipped ${slots} missed while no backend ran (${span}; missedSchedule ${policy})`,
    },
  );
  const { matched: _notEvaluated, ...status } = record.status ?? {};
  return { ...record, status: { ...status, skippedSlots: skipped.count } };
}
