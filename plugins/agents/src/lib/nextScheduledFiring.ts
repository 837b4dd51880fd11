import { AgentTriggerRule } from '@krate/plugin-agents-common';

/** Where a rule's status may say when its schedule fires next, the likeliest name first. */
const FIELDS = [
  'nextScheduledTime',
  'nextFireTime',
  'nextFiringTime',
  'nextRunTime',
  'nextScheduledFiring',
  'nextFiring',
];

const timeOf = (value: unknown): string | undefined => {
  if (typeof value === 'string') {
    return Number.isNaN(Date.parse(value)) ? undefined : value;
  }
  if (value && typeof value === 'object') {
    const { time } = value as { time?: unknown };
    return timeOf(time);
  }
  return undefined;
};

/**
 * When the rule's schedule fires next, as its status says, or undefined. The status field is
 * being added by the schedules work and its name is not settled: the known candidates are read
 * in order, then any other `next…` field holding a time.
 */
export function nextScheduledFiring(
  rule: AgentTriggerRule,
): string | undefined {
  const status = (rule.status ?? {}) as Record<string, unknown>;
  for (const field of FIELDS) {
    const time = timeOf(status[field]);
    if (time) return time;
  }
  for (const [field, value] of Object.entries(status)) {
    if (/^next[A-Z]/.test(field)) {
      const time = timeOf(value);
      if (time) return time;
    }
  }
  return undefined;
}
