import { AgentStack } from '@krate/plugin-agents-common';
import { AgentRuntime, LaunchProfile } from '@krate/plugin-agents-node';
import { StackProblem } from './stackConditions';

const WRITING_MODES = ['branch', 'pull-request'];

/**
 * The approval mode against what the stack may do and what its runtime can hold. What counts as
 * a human gate follows the dispatcher's ActionPolicy: `never` has none, `always` gates every
 * privileged action, `policy` gates the tool profile's approvalRequired classes and write-back
 * when writeBackPolicy.requireApproval is set. A profile without a network policy is open, as
 * the dispatcher enforces it.
 */
export function checkApprovals(
  stack: AgentStack,
  profile: LaunchProfile,
  runtime: AgentRuntime | undefined,
): StackProblem[] {
  const ref = `AgentStack ${stack.metadata.namespace}/${stack.metadata.name}`;
  const problems: StackProblem[] = [];
  const tools = profile.toolProfile;
  const networkMode: string = tools?.spec.network?.mode ?? 'open';
  const writeBackMode: string | undefined = profile.writeBackPolicy?.mode;

  if (profile.approvalMode === 'never') {
    const exposures: string[] = [];
    if (networkMode === 'open') {
      let network = 'no tool profile restricts the network, so it is open';
      if (tools?.spec.network) {
        network = `AgentToolProfile/${tools.name} opens the network to any host`;
      } else if (tools) {
        network = `AgentToolProfile/${tools.name} sets no network policy, so the network is open`;
      }
      exposures.push(network);
    }
    if (writeBackMode && WRITING_MODES.includes(writeBackMode)) {
      exposures.push(
        `spec.writeBackPolicy.mode ${writeBackMode} writes to the repository`,
      );
    }
    if (exposures.length) {
      problems.push({
        severity: 'Warning',
        reason: 'UnsafeApprovalMode',
        message: `${ref} has approvalMode never while ${exposures.join(
          ' and ',
        )}; no human sees these actions. Set spec.approvalMode to policy and list network/write-back in the tool profile's approvalRequired, or restrict the network to an allow-list and write back as a patch or comment.`,
      });
    }
  }

  if (!runtime) return problems;
  const gates: string[] = [];
  if (profile.approvalMode === 'always') {
    gates.push('approvalMode always');
  } else if (profile.approvalMode === 'policy') {
    const required: string[] = tools?.spec.approvalRequired ?? [];
    if (required.length) {
      gates.push(
        `AgentToolProfile/${tools!.name} requires approval for ${required.join(
          ', ',
        )}`,
      );
    }
    if (profile.writeBackPolicy?.requireApproval) {
      gates.push('spec.writeBackPolicy.requireApproval');
    }
  }
  if (!gates.length) return problems;
  const needs = `${ref} needs human approvals (${gates.join('; ')})`;
  if (runtime.capabilities.approvals === 'advisory') {
    problems.push({
      severity: 'Warning',
      reason: 'ApprovalsAdvisory',
      message: `${needs}, but runtime '${runtime.id}' honours them only advisorily: its gateway hooks fail open. Krate denies each gated action and holds it until a human decides (deny-and-hold), so the agent sees a denial first and must retry after approval. Use a runtime with enforced approvals if that is not acceptable.`,
    });
  } else if (runtime.capabilities.approvals === 'none') {
    problems.push({
      severity: 'Invalid',
      reason: 'ApprovalsUnsupported',
      message: `${needs}, but runtime '${runtime.id}' cannot hold actions for approval. Choose a runtime with approval support or remove the approval requirements.`,
    });
  }
  return problems;
}
