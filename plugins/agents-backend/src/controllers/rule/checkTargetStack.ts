import { AgentStack, AgentTriggerRule } from '@krate/plugin-agents-common';
import { UnstampedCondition } from '../stampConditions';

/**
 * `StackReady`: whether the rule's target stack can run, as the stack controller last resolved
 * it. Unknown while the stack controller has not resolved the stack yet.
 */
export function checkTargetStack(
  rule: AgentTriggerRule,
  stack: AgentStack | undefined,
): UnstampedCondition {
  const ref = `AgentStack ${rule.metadata.namespace}/${rule.spec.stack}`;
  const type = 'StackReady';
  if (!stack) {
    return {
      type,
      status: 'False',
      reason: 'StackNotFound',
      message: `${ref} does not exist; create it or set spec.stack to an existing stack.`,
    };
  }
  const readiness = stack.status?.readiness;
  if (!readiness) {
    return {
      type,
      status: 'Unknown',
      reason: 'StackNotResolved',
      message: `The stack controller has not resolved ${ref} yet.`,
    };
  }
  const ready = stack.status?.conditions?.find(c => c.type === 'Ready');
  if (readiness === 'Invalid') {
    return {
      type,
      status: 'False',
      reason: 'StackInvalid',
      message: `${ref} is Invalid. ${ready?.message ?? ''}`.trim(),
    };
  }
  return readiness === 'Warning'
    ? {
        type,
        status: 'True',
        reason: 'StackReadyWithWarnings',
        message: `${ref} can run. ${ready?.message ?? ''}`.trim(),
      }
    : {
        type,
        status: 'True',
        reason: 'StackReady',
        message: `${ref} is Ready.`,
      };
}
