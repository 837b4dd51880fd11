import { WebhookDelivery } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { formatTime } from '../../lib/format';
import { DeliveryStateChip } from '../DeliveryStateChip';
import { ReplayButton } from './ReplayButton';
import { ColumnHeads } from '../ColumnHeads';

const COLUMNS = [
  'Received',
  'Org',
  'Endpoint',
  'Event',
  'Repository',
  'State',
  'Executions',
  'Reason',
  'Actions',
];

export interface DeliveriesTableProps {
  deliveries: WebhookDelivery[];
  /** The delivery being replayed (`<org>/<name>`), whose button waits for the answer. */
  replaying?: string;
  onReplay: (delivery: WebhookDelivery) => void;
}

const Caption = ({ children }: { children: string }) => (
  <Typography variant="caption" color="textSecondary" display="block">
    {children}
  </Typography>
);

/** One row per delivery: where it came from, what became of it, and Replay. */
export const DeliveriesTable = ({
  deliveries,
  replaying,
  onReplay,
}: DeliveriesTableProps) => (
  <TableContainer>
    <Table size="small" aria-label="Recent webhook deliveries">
      <ColumnHeads columns={COLUMNS} />
      <TableBody>
        {deliveries.map(delivery => {
          const { metadata, spec, status = {} } = delivery;
          const executions = status.executions ?? [];
          const key = `${metadata.namespace}/${metadata.name}`;
          return (
            <TableRow key={key} aria-label={metadata.name}>
              <TableCell>
                {formatTime(spec.receivedTime)}
                <Caption>{metadata.name}</Caption>
                {spec.replayOf && (
                  <Caption>{`replay of ${spec.replayOf}`}</Caption>
                )}
              </TableCell>
              <TableCell>{metadata.namespace}</TableCell>
              <TableCell>{spec.source}</TableCell>
              <TableCell>
                <code>{spec.eventType}</code>
              </TableCell>
              <TableCell>{spec.repository ?? '—'}</TableCell>
              <TableCell>
                <DeliveryStateChip state={status.state} />
              </TableCell>
              <TableCell>
                {executions.length}
                {executions.length > 0 && (
                  <Caption>{executions.join(', ')}</Caption>
                )}
              </TableCell>
              <TableCell>{status.reason ?? ''}</TableCell>
              <TableCell>
                <ReplayButton
                  delivery={delivery}
                  busy={replaying === key}
                  onReplay={onReplay}
                />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  </TableContainer>
);
