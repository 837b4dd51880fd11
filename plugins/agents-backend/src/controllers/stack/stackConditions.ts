import { Condition } from '@krate/plugin-agents-common';
import { stampConditions, UnstampedCondition } from '../stampConditions';

/** Readiness of a stack: Warning still runs, Invalid does not. */
export type StackReadiness = 'Ready' | 'Warning' | 'Invalid';

/** One finding of a stack check; problems with the same severity and reason share a condition. */
export interface StackProblem {
  severity: 'Invalid' | 'Warning';
  /** CamelCase, e.g. MissingReference. */
  reason: string;
  /** Names the object and says what to do. */
  message: string;
}

export function readinessOf(problems: StackProblem[]): StackReadiness {
  if (problems.some(p => p.severity === 'Invalid')) return 'Invalid';
  return problems.length ? 'Warning' : 'Ready';
}

function groupProblems(problems: StackProblem[]): StackProblem[] {
  const groups = new Map<string, StackProblem>();
  for (const severity of ['Invalid', 'Warning'] as const) {
    for (const problem of problems.filter(p => p.severity === severity)) {
      const key = `${severity}/${problem.reason}`;
      const group = groups.get(key);
      groups.set(
        key,
        group
          ? { ...group, message: `${group.message} ${problem.message}` }
          : problem,
      );
    }
  }
  return [...groups.values()];
}

/**
 * The stack's conditions, Kubernetes style: `Ready` (True while the stack can run), then one
 * `Invalid` or `Warning` condition per reason, stamped by {@link stampConditions}.
 */
export function stackConditions(
  problems: StackProblem[],
  previous: Condition[] | undefined,
  now: Date,
): Condition[] {
  const details = groupProblems(problems);
  const invalid = details.filter(p => p.severity === 'Invalid');
  const warnings = details.filter(p => p.severity === 'Warning');
  const list = (items: StackProblem[]) => items.map(p => p.reason).join(', ');

  let ready: UnstampedCondition;
  if (invalid.length) {
    ready = {
      type: 'Ready',
      status: 'False',
      reason: invalid[0].reason,
      message: `The stack cannot run (${list(invalid)}). ${invalid
        .map(p => p.message)
        .join(' ')}`,
    };
  } else if (warnings.length) {
    ready = {
      type: 'Ready',
      status: 'True',
      reason: 'ResolvedWithWarnings',
      message: `Every reference resolved; the stack can run, with warnings: ${list(
        warnings,
      )}.`,
    };
  } else {
    ready = {
      type: 'Ready',
      status: 'True',
      reason: 'Resolved',
      message:
        'Every reference resolved and the runtime supports everything the stack uses.',
    };
  }

  return stampConditions(
    [
      ready,
      ...details.map(p => ({
        type: p.severity,
        status: 'True' as const,
        reason: p.reason,
        message: p.message,
      })),
    ],
    previous,
    now,
  );
}
