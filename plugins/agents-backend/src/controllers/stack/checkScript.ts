import { AgentStack, SCRIPT_STEP_ACTIONS } from '@krate/plugin-agents-common';
import { StackReferences } from './collectReferences';
import { StackProblem } from './stackConditions';

/** Id of the built-in runtime that plays `spec.script`. */
export const SCRIPTED_RUNTIME_ID = 'scripted';

type Script = { steps?: unknown[]; continueSteps?: unknown[] };

/**
 * A scripted stack must have a script whose every step carries exactly one action, and whose
 * subagent steps name subagents the stack lists. Subagents run their own scripts and are
 * checked the same way.
 */
export function checkScript(
  stack: AgentStack,
  references: StackReferences,
): StackProblem[] {
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const problems: StackProblem[] = [];
  const invalid = (message: string) =>
    problems.push({ severity: 'Invalid', reason: 'InvalidScript', message });
  const listed = new Set(stack.spec.subagents ?? []);
  const subagents = new Map(
    references.subagents.map(s => [s.object.metadata.name, s.object]),
  );

  const checkSteps = (owner: string, script: Script) => {
    for (const field of ['steps', 'continueSteps'] as const) {
      (script[field] ?? []).forEach((raw, index) => {
        const path = `${owner} spec.script.${field}[${index}]`;
        const step = (raw ?? {}) as Record<string, unknown>;
        const actions = SCRIPT_STEP_ACTIONS.filter(
          action => step[action] !== undefined,
        );
        if (actions.length !== 1) {
          invalid(
            actions.length
              ? `${path} carries several actions (${actions.join(
                  ', ',
                )}); split it into one step per action.`
              : `${path} carries no action; give it exactly one of ${SCRIPT_STEP_ACTIONS.join(
                  ', ',
                )}.`,
          );
          return;
        }
        const target = (step.subagent as { name?: string } | undefined)?.name;
        if (target === undefined) return;
        if (!listed.has(target)) {
          invalid(
            `${path} runs subagent '${target}', which ${ref} does not list in spec.subagents. Add it there or fix the step.`,
          );
          return;
        }
        const subagent = subagents.get(target);
        if (subagent && !subagent.spec.script) {
          problems.push({
            severity: 'Invalid',
            reason: 'MissingScript',
            message: `${path} runs AgentSubagent/${target} on the scripted runtime, but it has no spec.script. Add spec.script.steps to the subagent.`,
          });
        }
      });
    }
  };

  if (!stack.spec.script) {
    problems.push({
      severity: 'Invalid',
      reason: 'MissingScript',
      message: `${ref} runs on the ${SCRIPTED_RUNTIME_ID} runtime but has no spec.script. Add spec.script.steps or choose another runtime.`,
    });
  } else {
    checkSteps(ref, stack.spec.script);
  }
  for (const { object } of references.subagents) {
    if (object.spec.script) {
      checkSteps(
        `AgentSubagent/${object.metadata.name}`,
        object.spec.script as Script,
      );
    }
  }
  return problems;
}
