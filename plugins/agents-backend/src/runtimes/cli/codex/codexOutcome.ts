import { AgentAttemptOutcome } from '@krate/plugin-agents-node';
import { CliExit } from '../runCliProcess';
import { CodexStreamParser } from './CodexStreamParser';

/** The attempt's outcome from Codex's turn events and its exit. */
export function codexOutcome(
  parser: CodexStreamParser,
  exit: CliExit,
  stderrTail: string[],
): AgentAttemptOutcome {
  if (parser.failure) {
    return { phase: 'Failed', reason: 'TurnFailed', message: parser.failure };
  }
  if (exit.code === 0 && parser.turnCompleted) {
    return { phase: 'Succeeded', reason: 'Completed' };
  }
  return {
    phase: 'Failed',
    reason: exit.code === 0 ? 'NoResult' : 'RuntimeError',
    message: `Codex exited (${
      exit.signal ?? `code ${exit.code}`
    }) without completing its turn${
      stderrTail.length ? `: ${stderrTail.join('\n')}` : ''
    }`,
  };
}
