import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { CronTime } from 'cron';

/** A rule's schedule, read: its cron and the time zone its slots are in. */
export interface RuleSchedule {
  cron: CronTime;
  timeZone: string;
}

/** A field of the rule and what is wrong with it. */
export interface ScheduleProblem {
  path: string;
  message: string;
}

/** Whether the rule fires on a schedule at all: it listens to schedule events. */
export function isScheduleRule(rule: AgentTriggerRule): boolean {
  return rule.spec.source.events.includes('schedule');
}

/**
 * Reads a schedule rule's `spec.source.schedule` and `timeZone`, or says which field is wrong:
 * a missing or unreadable cron, seconds (the finest slot is a minute), a schedule that never
 * fires, an unknown time zone, or several repositories (a slot fires one run).
 */
export function readRuleSchedule(
  rule: AgentTriggerRule,
  now = new Date(),
): RuleSchedule | ScheduleProblem {
  const { schedule, timeZone = 'UTC', repositories = [] } = rule.spec.source;
  if (schedule === undefined || schedule.trim() === '') {
    return {
      path: 'spec.source.schedule',
      message:
        'is required when spec.source.events includes schedule (a five-field cron expression, e.g. 0 9 * * 1-5)',
    };
  }
  const fields = schedule.trim().split(/\s+/);
  if (!schedule.trim().startsWith('@') && fields.length !== 5) {
    return {
      path: 'spec.source.schedule',
      message: `'${schedule}' has ${fields.length} fields; a schedule has five (minute hour day-of-month month day-of-week)`,
    };
  }
  let cron: CronTime;
  try {
    cron = new CronTime(schedule, timeZone);
  } catch (error) {
    const timeZoneWrong = /time ?zone/i.test(String(error));
    return timeZoneWrong
      ? {
          path: 'spec.source.timeZone',
          message: `'${timeZone}' is not an IANA time zone`,
        }
      : {
          path: 'spec.source.schedule',
          message: `'${schedule}' is not a cron expression: ${
            (error as Error).message
          }`,
        };
  }
  try {
    cron.getNextDateFrom(now, timeZone);
  } catch {
    return {
      path: 'spec.source.schedule',
      message: `'${schedule}' never fires`,
    };
  }
  if (repositories.length > 1) {
    return {
      path: 'spec.source.repositories',
      message:
        'a schedule rule names at most one repository: each slot fires one run',
    };
  }
  return { cron, timeZone };
}

export function isScheduleProblem(
  read: RuleSchedule | ScheduleProblem,
): read is ScheduleProblem {
  return 'path' in read;
}

/** The first slot after `time`. */
export function nextSlot(schedule: RuleSchedule, time: Date): Date {
  return schedule.cron.getNextDateFrom(time, schedule.timeZone).toJSDate();
}

/** The next `count` slots after `time`. */
export function nextSlots(
  schedule: RuleSchedule,
  time: Date,
  count: number,
): Date[] {
  const slots: Date[] = [];
  let after = time;
  while (slots.length < count) {
    after = nextSlot(schedule, after);
    slots.push(after);
  }
  return slots;
}
