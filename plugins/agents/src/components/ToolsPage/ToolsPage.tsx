import {
  AgentToolProfile,
  AgentToolProfileKind,
} from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { RegistryColumn, RegistryListPage } from '../RegistryPage';

const asProfile = (object: AgentsResource) =>
  object as unknown as AgentToolProfile;

const COLUMNS: RegistryColumn[] = [
  {
    label: 'Commands',
    render: object => {
      const shell = asProfile(object).spec.shell;
      return `${shell?.allowCommands?.length ?? 'any'} allowed · ${
        shell?.denyCommands?.length ?? 0
      } denied`;
    },
  },
  {
    label: 'Network',
    render: object => asProfile(object).spec.network?.mode ?? 'open',
  },
  {
    label: 'Approval required',
    render: object =>
      asProfile(object).spec.approvalRequired?.join(', ') || 'none',
  },
  {
    label: 'Readiness',
    render: object => asProfile(object).status?.readiness ?? 'Not reconciled',
  },
];

export interface ToolsPageProps {
  pollIntervalMs?: number;
}

/** The tool profiles: what agents may run, read, write and reach, and what waits for a human. */
export const ToolsPage = ({ pollIntervalMs = 10_000 }: ToolsPageProps) => {
  const paths = useAgentsPaths();
  return (
    <RegistryListPage
      definition={AgentToolProfileKind}
      title="Tool profiles"
      subtitle="Native tools, command allow/deny, filesystem and network policy"
      noun="tool profile"
      nouns="tool profiles"
      emptyDescription="A tool profile says which native tools, commands, paths and hosts an agent may use, and which actions wait for approval."
      newSpec={{ network: { mode: 'none' }, approvalRequired: ['shell'] }}
      columns={COLUMNS}
      detailPath={paths.tool}
      pollIntervalMs={pollIntervalMs}
    />
  );
};
