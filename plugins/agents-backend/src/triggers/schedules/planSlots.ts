import { MISSED_SCHEDULE_POLICIES } from '@krate/plugin-agents-common';
import { nextSlot, RuleSchedule } from './ruleSchedule';

export type MissedSchedulePolicy = (typeof MISSED_SCHEDULE_POLICIES)[number];

/** Past this many due slots an outage is counted as "at least" this many. */
const MAX_COUNTED_SLOTS = 10_000;
const DAY_MS = 24 * 3_600_000;

/** What to do with the slots due since the last tick. */
export interface SlotPlan {
  /** Every slot up to here is handled once the plan is carried out. */
  through: Date;
  /** The one slot to fire; `late` when it is a missed slot caught up. */
  fire?: { slot: Date; late: boolean };
  /** Missed slots not fired. */
  skipped?: { count: number; atLeast: boolean; first: Date; last: Date };
}

interface DueSlots {
  count: number;
  first?: Date;
  last?: Date;
  /** The due slot before the last. */
  previous?: Date;
}

function dueSlots(schedule: RuleSchedule, after: Date, until: Date): DueSlots {
  const due: DueSlots = { count: 0 };
  let cursor = after;
  while (due.count < MAX_COUNTED_SLOTS) {
    const slot = nextSlot(schedule, cursor);
    if (slot.getTime() > until.getTime()) break;
    due.count += 1;
    due.first ??= slot;
    due.previous = due.last;
    due.last = slot;
    cursor = slot;
  }
  return due;
}

/**
 * Plans a tick for one rule: the slots in (`through`, `now`] are due. The latest fires when it is
 * on time (at most `graceMs` old); older ones are missed. `skip` records the missed slots and
 * fires none of them; `catchUpOnce` fires once, for the latest due slot, however late. A tick
 * fires at most one slot per rule, so an outage never ends in a burst.
 */
export function planSlots(options: {
  schedule: RuleSchedule;
  through: Date;
  now: Date;
  graceMs: number;
  policy: MissedSchedulePolicy;
}): SlotPlan {
  const { schedule, through, now, graceMs, policy } = options;
  const due = dueSlots(schedule, through, now);
  if (due.count === 0 || !due.first || !due.last) return { through };
  let { last, previous } = due;
  const atLeast = due.count >= MAX_COUNTED_SLOTS;
  if (atLeast) {
    // A long outage: the latest slot is found from a day back rather than counted up to.
    const recent = dueSlots(
      schedule,
      new Date(Math.max(last.getTime(), now.getTime() - DAY_MS)),
      now,
    );
    if (recent.last) {
      previous = recent.previous ?? last;
      last = recent.last;
    }
  }
  const onTime = now.getTime() - last.getTime() <= graceMs;
  const fired = onTime || policy === 'catchUpOnce';
  const missed = due.count - (fired ? 1 : 0);
  const lastMissed = fired ? previous : last;
  return {
    through: last,
    ...(fired ? { fire: { slot: last, late: !onTime } } : {}),
    ...(missed > 0 && lastMissed
      ? {
          skipped: {
            count: missed,
            atLeast,
            first: due.first,
            last: lastMissed,
          },
        }
      : {}),
  };
}
