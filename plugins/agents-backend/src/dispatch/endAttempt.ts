import {
  AgentDispatchAttempt,
  AgentDispatchRun,
} from '@krate/plugin-agents-common';
import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { AttemptEventWriter } from './AttemptEventWriter';
import { DISPATCHER_ACTOR, DispatchParts } from './DispatchParts';
import { phaseFieldsOf } from './keepTerminalPhase';
import { isTerminal, sessionRecordName } from './names';
import { StatusWriter } from './StatusWriter';

/**
 * Ends an attempt with an outcome: closes the gates it left open, logs their closing and its
 * terminal phase as its last events, writes its terminal status, ends its session record, ends
 * the run as the attempt ended, closes the attempt's status writer and releases its lease.
 *
 * An attempt that has already ended (someone else ended it meanwhile, or an instance stopped
 * between ending the attempt and its run) keeps its phase and logs nothing more; the run follows
 * that phase. A run always ends as its attempt did.
 */
export async function endAttempt(
  parts: DispatchParts,
  options: {
    attempt: AgentDispatchAttempt;
    run: AgentDispatchRun;
    outcome: AgentAttemptOutcome;
    /** The live attempt's writer, so the final status merges with a last cost update. */
    statuses?: StatusWriter;
    /** Who ends it, when no live attempt's writer is given. */
    actor?: string;
  },
): Promise<void> {
  const { store, leases, logger } = parts;
  const { namespace, name } = options.attempt.metadata;
  const now = new Date().toISOString();
  const statuses =
    options.statuses ??
    new StatusWriter(store, options.actor ?? DISPATCHER_ACTOR, logger);

  let ended = await store.get('AgentDispatchAttempt', namespace, name);
  if (!isTerminal(ended?.status?.phase)) {
    const outcome = await logEnd(parts, options);
    await statuses.update(
      { kind: 'AgentDispatchAttempt', namespace, name },
      status => ({
        ...status,
        phase: outcome.phase,
        reason: outcome.reason,
        message: outcome.message ?? outcome.reason,
        completionTime: now,
      }),
    );
    ended = await store.get('AgentDispatchAttempt', namespace, name);
  }
  const final = phaseFieldsOf(ended?.status);
  void statuses.update(
    { kind: 'AgentDispatchRun', namespace, name: options.run.metadata.name },
    status =>
      status.currentAttempt && status.currentAttempt !== name
        ? status
        : { ...status, ...final },
  );
  if (await store.get('AgentSession', namespace, sessionRecordName(name))) {
    void statuses.update(
      { kind: 'AgentSession', namespace, name: sessionRecordName(name) },
      status => ({
        ...status,
        state: status.sessionId ? 'idle' : 'ended',
        lastActivityTime: now,
      }),
    );
  }
  await statuses.settle();
  statuses.close();
  await leases.release({ namespace, attempt: name });
}

/**
 * Closes the attempt's open gates and logs their closing and its terminal phase; answers the
 * outcome to write, which is a failure when the log could not take them.
 */
async function logEnd(
  parts: DispatchParts,
  options: { attempt: AgentDispatchAttempt; outcome: AgentAttemptOutcome },
): Promise<AgentAttemptOutcome> {
  const { approvals } = parts;
  const { namespace, name } = options.attempt.metadata;
  const run = options.attempt.spec.run;
  const { outcome } = options;

  // Before the run shows as finished, so nobody sees a finished run with an open gate.
  const open = await approvals.pendingForAttempt(namespace, name);
  await approvals.closeForAttempt(namespace, name);
  const events = new AttemptEventWriter({
    log: parts.events,
    redactor: parts.redactor,
    namespace,
    run,
    attempt: name,
    nextSeq: (await parts.events.lastSeq({ namespace, run })) + 1,
  });
  for (const gate of open) {
    const closed = await approvals.get(namespace, gate.metadata.name);
    const state = closed?.status?.state;
    if (state === 'approved' || state === 'rejected' || state === 'expired') {
      events.push({
        type: 'approval_decided',
        approval: gate.metadata.name,
        decision: state,
        ...(closed?.status?.decidedBy
          ? { decidedBy: closed.status.decidedBy }
          : {}),
        ...(closed?.status?.reason ? { reason: closed.status.reason } : {}),
      });
    }
  }
  events.push({
    type: 'attempt_phase',
    phase: outcome.phase,
    reason: outcome.reason,
    ...(outcome.message ? { message: outcome.message } : {}),
  });
  try {
    await events.drain();
    return outcome;
  } catch (error) {
    return {
      phase: 'Failed',
      reason: 'EventLogUnavailable',
      message: (error as Error).message,
    };
  }
}
