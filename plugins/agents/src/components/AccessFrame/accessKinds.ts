import { SignalledKind } from '../../hooks/useLiveRefresh';

/** The kinds whose changes move identities, grants, bindings and the secret inventory. */
export const ACCESS_KINDS: readonly SignalledKind[] = [
  'AgentStack',
  'AgentServiceAccount',
  'AgentRoleBinding',
  'AgentSecretGrant',
  'AgentConfigGrant',
  'AgentMcpServer',
  'AgentSkill',
];
