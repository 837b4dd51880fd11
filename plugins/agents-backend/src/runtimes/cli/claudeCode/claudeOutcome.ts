import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { CliExit } from '../runCliProcess';
import { ClaudeResult } from './ClaudeStreamParser';

const FAILURE_REASONS: Record<string, string> = {
  error_max_turns: 'MaxTurns',
  error_max_budget_usd: 'BudgetExceeded',
  error_during_execution: 'RuntimeError',
};

/** The attempt's outcome from Claude Code's final `result` line and its exit. */
export function claudeOutcome(
  result: ClaudeResult | undefined,
  exit: CliExit,
  stderrTail: string[],
): AgentAttemptOutcome {
  if (!result) {
    return {
      phase: 'Failed',
      reason: exit.code === 0 ? 'NoResult' : 'RuntimeError',
      message: `Claude Code exited (${
        exit.signal ?? `code ${exit.code}`
      }) without a result${
        stderrTail.length ? `: ${stderrTail.join('\n')}` : ''
      }`,
    };
  }
  if (result.subtype === 'success' && !result.isError) {
    return { phase: 'Succeeded', reason: 'Completed' };
  }
  const reason =
    FAILURE_REASONS[result.subtype] ??
    (result.terminalReason === 'api_error' || result.apiErrorStatus
      ? 'ModelApiError'
      : 'RuntimeError');
  return {
    phase: 'Failed',
    reason,
    message:
      result.result ??
      result.errors?.join('\n') ??
      `Claude Code ended with ${result.subtype}`,
  };
}
