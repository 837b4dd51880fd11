import {
  AgentMcpServer,
  AgentMcpServerKind,
} from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { RegistryColumn, RegistryListPage } from '../RegistryPage';
import { McpHealthChip } from './McpHealthChip';
import { mcpEndpoint } from './mcpEndpoint';

const asServer = (object: AgentsResource) =>
  object as unknown as AgentMcpServer;

const COLUMNS: RegistryColumn[] = [
  { label: 'Transport', render: object => asServer(object).spec.transport },
  {
    label: 'Endpoint',
    render: object => <code>{mcpEndpoint(asServer(object))}</code>,
  },
  {
    label: 'Health',
    render: object => <McpHealthChip server={asServer(object)} />,
  },
  {
    label: 'Last probe',
    render: object => formatTime(asServer(object).status?.lastProbeTime),
  },
  {
    label: 'Tools',
    render: object =>
      String(asServer(object).status?.discoveredTools?.length ?? '—'),
  },
];

export interface McpServersPageProps {
  pollIntervalMs?: number;
}

/** The MCP servers agents may mount, each with its probed health. */
export const McpServersPage = ({
  pollIntervalMs = 10_000,
}: McpServersPageProps) => {
  const paths = useAgentsPaths();
  return (
    <RegistryListPage
      definition={AgentMcpServerKind}
      title="MCP servers"
      subtitle="Transport, health, discovered tools, secret refs and allowed stacks"
      noun="MCP server"
      nouns="MCP servers"
      emptyDescription="An MCP server gives agents tools over stdio, HTTP or SSE; its health and tools are probed."
      newSpec={{ transport: 'http', url: 'https://' }}
      columns={COLUMNS}
      detailPath={paths.mcpServer}
      pollIntervalMs={pollIntervalMs}
    />
  );
};
