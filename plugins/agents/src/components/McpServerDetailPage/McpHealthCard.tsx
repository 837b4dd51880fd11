import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentMcpServer,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { formatTime } from '../../lib/format';
import { resourceRefOf } from '../../lib/resourceRef';
import { serverMessage } from '../../lib/serverMessage';
import { DetailRow } from '../DetailRow';
import { GatedButton } from '../GatedButton';
import { McpHealthChip } from '../McpServersPage';

export interface McpHealthCardProps {
  server: AgentMcpServer;
  /** Told the server as the probe answered it. */
  onProbed: (server: AgentMcpServer) => void;
}

/**
 * The MCP health card: probed health, when, the Ready condition's message, and "Probe now",
 * which connects to the server, lists its tools and writes both to its status.
 */
export const McpHealthCard = ({ server, onProbed }: McpHealthCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { namespace, name } = server.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentMcpServer', 'update'),
    resourceRefOf('AgentMcpServer', namespace, name),
    `probe the MCP server ${namespace}/${name}`,
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ready = server.status?.conditions?.find(c => c.type === 'Ready');

  const probe = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onProbed(await agentsApi.probeMcpServer(namespace, name));
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Health">
      <DetailRow label="Health">
        <McpHealthChip server={server} />
      </DetailRow>
      <DetailRow label="Last probe">
        {formatTime(server.status?.lastProbeTime)}
      </DetailRow>
      <DetailRow label="Ready">
        {ready ? (
          <span aria-label="Ready condition">
            {ready.status} · {ready.reason}: {ready.message}
          </span>
        ) : (
          'not reported yet'
        )}
      </DetailRow>
      <Box mt={2} display="flex" alignItems="center" gridGap={8}>
        <GatedButton
          variant="contained"
          color="primary"
          reason={forbidden}
          hint="Connect, initialize and list the server's tools now"
          disabled={busy}
          onClick={probe}
        >
          {busy ? 'Probing…' : 'Probe now'}
        </GatedButton>
        {forbidden && (
          <Typography variant="body2" color="textSecondary">
            {forbidden}
          </Typography>
        )}
      </Box>
      {error && (
        <Box mt={2}>
          <Alert severity="error">Could not probe: {error}</Alert>
        </Box>
      )}
    </InfoCard>
  );
};
