import { InfoCard } from '@backstage/core-components';
import {
  AgentMcpServer,
  AgentMcpServerKind,
} from '@krate/plugin-agents-common';
import Grid from '@material-ui/core/Grid';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import {
  ConditionList,
  listsIn,
  RegistryDetailPage,
  StacksUsing,
} from '../RegistryPage';
import { McpConnection } from './McpConnection';
import { McpDiscoveredTools } from './McpDiscoveredTools';
import { McpHealthCard } from './McpHealthCard';

export interface McpServerDetailPageProps {
  pollIntervalMs?: number;
}

/**
 * One AgentMcpServer: the health card with "Probe now", the tools it offers and which agents may
 * use, how it is reached and with which Secret keys, and the stacks that mount it; a probe's
 * status write arrives as a change signal.
 */
export const McpServerDetailPage = ({
  pollIntervalMs = 10_000,
}: McpServerDetailPageProps) => {
  const paths = useAgentsPaths();
  return (
    <RegistryDetailPage
      definition={AgentMcpServerKind}
      noun="MCP server"
      listPath={paths.mcpServers}
      listLabel="All MCP servers"
      pollIntervalMs={pollIntervalMs}
    >
      {(object, replace) => {
        const server = object as unknown as AgentMcpServer;
        const { namespace, name } = server.metadata;
        return (
          <Grid container spacing={3}>
            <Grid item xs={12} md={5}>
              <McpHealthCard
                server={server}
                onProbed={probed =>
                  replace(probed as unknown as AgentsResource)
                }
              />
            </Grid>
            <Grid item xs={12} md={7}>
              <McpConnection server={server} />
            </Grid>
            <Grid item xs={12}>
              <McpDiscoveredTools server={server} />
            </Grid>
            <Grid item xs={12} md={6}>
              <StacksUsing
                namespace={namespace}
                what={`the MCP server ${name}`}
                uses={listsIn('mcpServers', name)}
                pollIntervalMs={pollIntervalMs}
              />
            </Grid>
            <Grid item xs={12} md={6}>
              <InfoCard title="Conditions">
                <ConditionList
                  conditions={server.status?.conditions}
                  empty="No controller has reported on this server yet."
                />
              </InfoCard>
            </Grid>
          </Grid>
        );
      }}
    </RegistryDetailPage>
  );
};
