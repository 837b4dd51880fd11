import { InfoCard } from '@backstage/core-components';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { ColumnHeads } from '../ColumnHeads';
import { DetailRow } from '../DetailRow';
import { mcpEndpoint } from '../McpServersPage';
import { NameChips } from '../RegistryPage';

/**
 * How the runner reaches the server, what it may be asked for, the Secret keys it needs (names
 * and keys only: values never reach the portal) and the stacks allowed to mount it.
 */
export const McpConnection = ({ server }: { server: AgentMcpServer }) => {
  const { spec } = server;
  return (
    <InfoCard title="Connection">
      <DetailRow label="Transport">{spec.transport}</DetailRow>
      <DetailRow label={spec.transport === 'stdio' ? 'Command' : 'URL'}>
        <code>{mcpEndpoint(server)}</code>
      </DetailRow>
      <DetailRow label="Allowed scopes">
        <NameChips
          label="Allowed scopes"
          names={spec.allowedScopes}
          none="any"
        />
      </DetailRow>
      <DetailRow label="Allowed stacks">
        <NameChips
          label="Allowed stacks"
          names={spec.allowedStacks}
          none="every stack"
        />
      </DetailRow>
      <DetailRow label="Secret refs">
        {spec.secretRefs?.length ? (
          <Table size="small" aria-label="Secret refs">
            <ColumnHeads columns={['Secret', 'Key', 'Delivered as']} />
            <TableBody>
              {spec.secretRefs.map(ref => (
                <TableRow key={`${ref.name}/${ref.key}`}>
                  <TableCell>{ref.name}</TableCell>
                  <TableCell>{ref.key}</TableCell>
                  <TableCell>
                    {ref.env ? <code>{ref.env}</code> : 'the runner default'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : (
          'none'
        )}
      </DetailRow>
    </InfoCard>
  );
};
