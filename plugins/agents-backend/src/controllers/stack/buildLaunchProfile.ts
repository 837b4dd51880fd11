import { AgentStack } from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { StoredResource } from '../../resources/ResourceStore';
import { StackReferences } from './collectReferences';

const named = (object: StoredResource) => ({
  name: object.metadata.name,
  spec: object.spec,
});

/**
 * The stack's effective launch profile: its own settings with defaults applied and each
 * reference replaced by the referenced object's spec. A subagent's spec gets the same treatment
 * (its toolProfile and skills resolved, runtime and model inherited from the stack when unset),
 * so a runtime needs nothing but the profile. Unresolvable references are left out; such a
 * stack is Invalid and never launches.
 */
export function buildLaunchProfile(
  stack: AgentStack,
  references: StackReferences,
): LaunchProfile {
  const { spec } = stack;
  const profile: LaunchProfile = {
    stack: stack.metadata.name,
    runtime: spec.runtime,
    approvalMode: spec.approvalMode ?? 'policy',
    allowSelfApproval: spec.allowSelfApproval ?? false,
    ...(spec.approvers?.length ? { approvers: spec.approvers } : {}),
    mcpServers: references.mcpServers.map(named),
    skills: references.skills.map(named),
    subagents: references.subagents.map(sub => {
      const { toolProfile, skills, ...rest } = sub.object.spec;
      return {
        name: sub.object.metadata.name,
        spec: {
          ...rest,
          runtime: rest.runtime ?? spec.runtime,
          ...((rest.model ?? spec.model) !== undefined
            ? { model: rest.model ?? spec.model }
            : {}),
          ...(sub.toolProfile ? { toolProfile: named(sub.toolProfile) } : {}),
          ...(skills ? { skills: sub.skills.map(named) } : {}),
        },
      };
    }),
    defaultContextLabels: references.contextLabels.map(l => l.metadata.name),
  };
  if (spec.model !== undefined) profile.model = spec.model;
  if (spec.systemPrompt !== undefined) profile.systemPrompt = spec.systemPrompt;
  if (references.toolProfile) {
    profile.toolProfile = named(references.toolProfile);
  }
  if (spec.runnerPolicy) profile.runnerPolicy = spec.runnerPolicy;
  if (spec.writeBackPolicy) profile.writeBackPolicy = spec.writeBackPolicy;
  if (references.runtimeServiceAccount) {
    profile.runtimeServiceAccount =
      references.runtimeServiceAccount.metadata.name;
  }
  if (references.runnerServiceAccount) {
    profile.runnerServiceAccount =
      references.runnerServiceAccount.metadata.name;
  }
  if (references.workspacePolicy) {
    profile.workspacePolicy = references.workspacePolicy.metadata.name;
  }
  if (spec.script) profile.script = spec.script;
  return profile;
}
