import { RunEventPayload } from '@krate/plugin-agents-common';
import {
  AgentActionRequest,
  AgentAttemptOutcome,
} from '@krate/plugin-agents-node';

/**
 * What the in-pod runner prints on stdout, one JSON object a line, and the backend reads back
 * from the pod's log: the runtime's events numbered from 1, the session once known, the actions
 * that wait for a human (the backend opens their approval, once per interaction id), and the
 * outcome last. Any other line (a CLI's own output, a stack trace) is not part of the protocol.
 */
export type RunnerLine =
  | { krate: 'v1'; seq: number; event: RunEventPayload }
  | { krate: 'v1'; session: string }
  | {
      krate: 'v1';
      approval: AgentActionRequest & { interactionId: string };
    }
  | { krate: 'v1'; outcome: AgentAttemptOutcome };

export function formatRunnerLine(line: RunnerLine): string {
  return `${JSON.stringify(line)}\n`;
}

/** The protocol line a log line holds, or undefined for any other line. */
export function parseRunnerLine(text: string): RunnerLine | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{"krate":"v1"')) return undefined;
  let value: any;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (
    Number.isInteger(value.seq) &&
    value.seq > 0 &&
    typeof value.event?.type === 'string'
  ) {
    return { krate: 'v1', seq: value.seq, event: value.event };
  }
  if (typeof value.session === 'string' && value.session) {
    return { krate: 'v1', session: value.session };
  }
  const approval = value.approval;
  if (
    typeof approval?.interactionId === 'string' &&
    approval.interactionId &&
    typeof approval.actionClass === 'string' &&
    typeof approval.target === 'string'
  ) {
    return {
      krate: 'v1',
      approval: {
        actionClass: approval.actionClass,
        target: approval.target,
        interactionId: approval.interactionId,
        ...(typeof approval.toolName === 'string'
          ? { toolName: approval.toolName }
          : {}),
        ...(approval.detail !== undefined ? { detail: approval.detail } : {}),
      },
    };
  }
  const outcome = value.outcome;
  if (
    ['Succeeded', 'Failed', 'Cancelled'].includes(outcome?.phase) &&
    typeof outcome.reason === 'string'
  ) {
    return {
      krate: 'v1',
      outcome: {
        phase: outcome.phase,
        reason: outcome.reason,
        ...(typeof outcome.message === 'string'
          ? { message: outcome.message }
          : {}),
      },
    };
  }
  return undefined;
}
