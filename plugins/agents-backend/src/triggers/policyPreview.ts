import {
  AgentTriggerRule,
  TriggerDryRunResult,
} from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';

/**
 * The approval and write-back policy of the runs a rule creates: the target stack's, from its
 * resolved launch profile (undefined when the stack does not resolve), and the rule's own
 * approval requirement.
 */
export function policyPreviewOf(
  rule: AgentTriggerRule,
  profile: LaunchProfile | undefined,
): TriggerDryRunResult['policyPreview'] {
  return {
    ...(profile
      ? {
          approvalMode: profile.approvalMode,
          writeBackMode: profile.writeBackPolicy?.mode,
        }
      : {}),
    requiresApproval: rule.spec.requireApproval ?? false,
  };
}
