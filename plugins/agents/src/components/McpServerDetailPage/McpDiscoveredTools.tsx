import { InfoCard } from '@backstage/core-components';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ColumnHeads } from '../ColumnHeads';

/**
 * The tools the last probe discovered, each marked exposed or not by `spec.allowedTools`, and the
 * allowed tools the server did not offer.
 */
export const McpDiscoveredTools = ({ server }: { server: AgentMcpServer }) => {
  const { allowedTools } = server.spec;
  const discovered = server.status?.discoveredTools;
  const exposed = (tool: string) =>
    !allowedTools || allowedTools.includes(tool);
  const missing = (allowedTools ?? []).filter(
    tool => !discovered?.some(d => d.name === tool),
  );
  return (
    <InfoCard title="Discovered tools" noPadding={Boolean(discovered?.length)}>
      {discovered?.length ? (
        <Table size="small" aria-label="Discovered tools">
          <ColumnHeads columns={['Tool', 'Description', 'Exposed to agents']} />
          <TableBody>
            {discovered.map(tool => (
              <TableRow key={tool.name}>
                <TableCell>
                  <code>{tool.name}</code>
                </TableCell>
                <TableCell>{tool.description ?? '—'}</TableCell>
                <TableCell>
                  {exposed(tool.name) ? 'allowed' : 'not in allowedTools'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="textSecondary">
          {discovered
            ? 'The last probe found no tools.'
            : 'No probe has listed the tools yet.'}
        </Typography>
      )}
      {discovered && missing.length > 0 && (
        <Alert severity="warning">
          allowedTools names tools the server does not offer:{' '}
          {missing.join(', ')}
        </Alert>
      )}
    </InfoCard>
  );
};
