import { AgentApprovalKind } from './AgentApproval';
import { AgentBudgetKind } from './AgentBudget';
import { AgentCapabilityRequirementKind } from './AgentCapabilityRequirement';
import { AgentConfigGrantKind } from './AgentConfigGrant';
import { AgentContextBundleKind } from './AgentContextBundle';
import { AgentContextLabelKind } from './AgentContextLabel';
import { AgentDispatchAttemptKind } from './AgentDispatchAttempt';
import { AgentDispatchRunKind } from './AgentDispatchRun';
import { AgentMcpServerKind } from './AgentMcpServer';
import { AgentMemoryUpdateKind } from './AgentMemoryUpdate';
import { AgentReviewArtifactKind } from './AgentReviewArtifact';
import { AgentRoleBindingKind } from './AgentRoleBinding';
import { AgentSecretGrantKind } from './AgentSecretGrant';
import { AgentServiceAccountKind } from './AgentServiceAccount';
import { AgentSessionKind } from './AgentSession';
import { AgentSkillKind } from './AgentSkill';
import { AgentStackKind } from './AgentStack';
import { AgentSubagentKind } from './AgentSubagent';
import { AgentToolEventKind } from './AgentToolEvent';
import { AgentToolProfileKind } from './AgentToolProfile';
import { AgentTriggerExecutionKind } from './AgentTriggerExecution';
import { AgentTriggerRuleKind } from './AgentTriggerRule';
import { AgentWorkspaceKind } from './AgentWorkspace';
import { AgentWorkspacePolicyKind } from './AgentWorkspacePolicy';
import { WebhookDeliveryKind } from './WebhookDelivery';
import { WorkItemKind } from './WorkItem';
import { WorkItemSessionLinkKind } from './WorkItemSessionLink';
import { WorkItemWorkspaceLinkKind } from './WorkItemWorkspaceLink';
import { AgentKindDefinition } from './defineKind';

/** Every kind of the agents.krate.dev API group. @public */
export const agentKinds: readonly AgentKindDefinition[] = [
  // configuration (CRD-backed)
  AgentStackKind,
  AgentSubagentKind,
  AgentToolProfileKind,
  AgentMcpServerKind,
  AgentSkillKind,
  AgentTriggerRuleKind,
  AgentContextLabelKind,
  AgentWorkspacePolicyKind,
  AgentServiceAccountKind,
  AgentRoleBindingKind,
  AgentSecretGrantKind,
  AgentConfigGrantKind,
  AgentCapabilityRequirementKind,
  AgentBudgetKind,
  // execution (database-backed)
  AgentDispatchRunKind,
  AgentDispatchAttemptKind,
  AgentContextBundleKind,
  AgentSessionKind,
  AgentWorkspaceKind,
  AgentApprovalKind,
  AgentReviewArtifactKind,
  AgentTriggerExecutionKind,
  AgentToolEventKind,
  WorkItemKind,
  WorkItemWorkspaceLinkKind,
  WorkItemSessionLinkKind,
  WebhookDeliveryKind,
  AgentMemoryUpdateKind,
];

const byKind = new Map(agentKinds.map(k => [k.kind, k]));
const byPlural = new Map(agentKinds.map(k => [k.plural, k]));

/** The kind definition for a `kind` name, e.g. `AgentStack`. @public */
export function findKind(kind: string): AgentKindDefinition | undefined {
  return byKind.get(kind);
}

/** The kind definition for a URL plural, e.g. `agentstacks`. @public */
export function findKindByPlural(
  plural: string,
): AgentKindDefinition | undefined {
  return byPlural.get(plural);
}
