import { isTerminal } from './names';

type Status = Record<string, any>;

/** The status fields that say where an attempt or run is in its life. */
const PHASE_FIELDS = ['phase', 'reason', 'message', 'completionTime'];

/** The phase, reason, message and completion time of a status, and nothing else. */
export function phaseFieldsOf(status: Status | undefined): Status {
  return Object.fromEntries(
    PHASE_FIELDS.filter(field => status?.[field] !== undefined).map(field => [
      field,
      status![field],
    ]),
  );
}

/**
 * `next`, unless `current` has ended: then `next` keeps the phase, reason, message and completion
 * time of `current` (other fields, such as cost, still change). A write that was queued or
 * started before an attempt ended — a gate decided or expired at that moment, a cancel racing
 * the runtime's own end — cannot reopen it. The one way back out of a terminal phase is a new
 * attempt of the run, which DispatchService.act writes without this guard.
 */
export function keepTerminalPhase(current: Status, next: Status): Status {
  if (!isTerminal(current.phase)) {
    return next;
  }
  const kept = { ...next };
  for (const field of PHASE_FIELDS) {
    delete kept[field];
  }
  return { ...kept, ...phaseFieldsOf(current) };
}
