/**
 * The Backstage signals channel on which the backend announces changes to agent resources, so
 * pages refresh at once instead of waiting for their next poll.
 * @public
 */
export const AGENTS_SIGNAL_CHANNEL = 'agents:changes';

/**
 * One message on {@link AGENTS_SIGNAL_CHANNEL}: which object changed. It carries names only —
 * pages read the object through the API, where permissions apply.
 * @public
 */
export interface AgentsChangeSignal {
  kind: string;
  namespace: string;
  name: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
}

/** The kinds whose changes are signalled. @public */
export const AGENTS_SIGNALLED_KINDS = [
  'AgentDispatchRun',
  'AgentDispatchAttempt',
  'AgentApproval',
  'AgentReviewArtifact',
  'AgentWorkspace',
  'AgentStack',
  'AgentTriggerRule',
  'AgentTriggerExecution',
  'WebhookDelivery',
  'AgentMemoryUpdate',
  'AgentToolProfile',
  'AgentMcpServer',
  'AgentSkill',
  'AgentServiceAccount',
  'AgentRoleBinding',
  'AgentSecretGrant',
  'AgentConfigGrant',
] as const;
