import { randomBytes } from 'node:crypto';

/** Lower-case base36, so names stay DNS labels. */
export function randomSuffix(length: number) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)]
    .map(byte => alphabet[byte % alphabet.length])
    .join('');
}

/** `<stack>-<8 random>`: unique per namespace, readable in a list, at most 49 characters. */
export function runName(stack: string) {
  return `${stack.slice(0, 40).replace(/-+$/, '')}-${randomSuffix(8)}`;
}

export function attemptName(run: string, number: number) {
  return `${run}-${number}`;
}

export function attemptNumber(attempt: string) {
  return Number(attempt.slice(attempt.lastIndexOf('-') + 1));
}

export function contextBundleName(attempt: string) {
  return `${attempt}-context`;
}

export function sessionRecordName(attempt: string) {
  return `${attempt}-session`;
}

export const RUN_LABEL = 'agents.krate.dev/run';
export const ATTEMPT_LABEL = 'agents.krate.dev/attempt';
/** On session records: the runtime, so sessions can be listed by it (a label selector). */
export const RUNTIME_LABEL = 'agents.krate.dev/runtime';

/**
 * On a run that continues a runtime session begun by another run: the session id, so the session
 * page finds every run of the session (a label selector).
 */
export const RUNTIME_SESSION_LABEL = 'agents.krate.dev/runtime-session';

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A runtime id that is not a valid label value stays off the label; its session lists unfiltered. */
export function runtimeLabels(runtime: string): Record<string, string> {
  return LABEL_VALUE.test(runtime) ? { [RUNTIME_LABEL]: runtime } : {};
}

/** A session id that is not a valid label value (every runtime's ids are) stays off the label. */
export function runtimeSessionLabels(
  sessionId: string,
): Record<string, string> {
  return LABEL_VALUE.test(sessionId)
    ? { [RUNTIME_SESSION_LABEL]: sessionId }
    : {};
}

/** Phases after which nothing more happens to an attempt or run. */
export const TERMINAL_PHASES = ['Succeeded', 'Failed', 'Cancelled'];

export function isTerminal(phase: unknown) {
  return typeof phase === 'string' && TERMINAL_PHASES.includes(phase);
}

/** `<rule>-dry-<8 random>`: the AgentTriggerExecution of a dry-run. */
export function dryRunExecutionName(rule: string) {
  return `${rule.slice(0, 36).replace(/-+$/, '')}-dry-${randomSuffix(8)}`;
}
