import { AgentMcpServer } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

const COLOR = {
  Healthy: 'primary',
  Degraded: 'secondary',
  Unreachable: 'secondary',
  Unknown: 'default',
} as const;

/** The server's probed health; "Never probed" until a probe has run. */
export function healthOf(server: AgentMcpServer): string {
  const { health, lastProbeTime } = server.status ?? {};
  if (!lastProbeTime && (!health || health === 'Unknown')) {
    return 'Never probed';
  }
  return health ?? 'Unknown';
}

/** The server's health as a chip. */
export const McpHealthChip = ({ server }: { server: AgentMcpServer }) => {
  const health = healthOf(server);
  return (
    <Chip
      size="small"
      label={health}
      aria-label={`Health ${health}`}
      color={COLOR[health as keyof typeof COLOR] ?? 'default'}
      variant={health === 'Healthy' ? 'default' : 'outlined'}
    />
  );
};
