import { FieldError } from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';

/** The built-in runtime that plays `spec.script`; without a script it has nothing to run. */
const SCRIPTED_RUNTIME = 'scripted';

function registeredText(runtimes: string[]) {
  return runtimes.length
    ? `registered: ${runtimes.join(', ')}`
    : 'no runtime is registered';
}

/**
 * What the stack builder refuses before apply beyond the schema: what the stack controller would
 * mark Invalid at once. `runtimes` are the ids the backend registers, once known.
 */
export function stackDraftProblems(
  draft: AgentsResource,
  runtimes?: string[],
): FieldError[] {
  const spec = (draft.spec ?? {}) as {
    runtime?: unknown;
    script?: unknown;
  };
  const problems: FieldError[] = [];
  if (spec.runtime === SCRIPTED_RUNTIME && spec.script === undefined) {
    problems.push({
      path: 'spec.script.steps',
      message:
        'is required: the scripted runtime plays these steps (add them in the YAML view)',
    });
  }
  if (
    runtimes &&
    typeof spec.runtime === 'string' &&
    spec.runtime !== '' &&
    !runtimes.includes(spec.runtime)
  ) {
    problems.push({
      path: 'spec.runtime',
      message: `'${
        spec.runtime
      }' is not registered on this backend (${registeredText(runtimes)})`,
    });
  }
  return problems;
}
