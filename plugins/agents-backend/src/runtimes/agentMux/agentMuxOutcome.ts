import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { RunFinalized } from './gatewayProtocol';

function camelCase(value: string): string {
  return value
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** The attempt's outcome from a gateway run's `run.finalized` event. */
export function agentMuxOutcome(event: RunFinalized): AgentAttemptOutcome {
  const exitReason = String(event.exitReason ?? 'unknown');
  if (exitReason === 'completed') {
    return { phase: 'Succeeded', reason: 'Completed' };
  }
  if (exitReason === 'timeout') {
    return {
      phase: 'Failed',
      reason: 'TimedOut',
      message:
        'The Agent Mux gateway stopped the run at the end of its time budget',
    };
  }
  if (exitReason === 'aborted') {
    return {
      phase: 'Cancelled',
      reason: 'Cancelled',
      message: 'The run was stopped on the Agent Mux gateway',
    };
  }
  let exit = '';
  if (typeof event.exitCode === 'number') {
    exit = ` (exit ${event.exitCode})`;
  } else if (event.signal) {
    exit = ` (${event.signal})`;
  }
  return {
    phase: 'Failed',
    reason: camelCase(exitReason),
    message: event.error?.message
      ? `${event.error.message}${exit}`
      : `The Agent Mux run ended with ${exitReason}${exit}`,
  };
}
