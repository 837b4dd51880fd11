import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { RunEventsState } from '../../hooks/useRunEvents';

const LABELS: Record<RunEventsState['connection'], string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  stale: 'Stale: no data for a while',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  complete: 'Complete',
};

const COLORS: Record<
  RunEventsState['connection'],
  'default' | 'primary' | 'secondary'
> = {
  connecting: 'default',
  connected: 'primary',
  stale: 'secondary',
  reconnecting: 'secondary',
  disconnected: 'secondary',
  complete: 'default',
};

/** The transcript's connection state, said explicitly, with a way to reconnect. */
export const ConnectionChip = ({
  state,
}: {
  state: Pick<
    RunEventsState,
    'connection' | 'mode' | 'error' | 'failures' | 'lastSeq' | 'reconnect'
  >;
}) => {
  const { connection, mode, error, failures, lastSeq } = state;
  const troubled = ['stale', 'reconnecting', 'disconnected'].includes(
    connection,
  );
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
      <Chip
        size="small"
        color={COLORS[connection]}
        label={`${LABELS[connection]}${
          mode === 'poll' && connection === 'connected' ? ' (polling)' : ''
        }`}
        aria-label={`Transcript connection: ${connection}`}
        data-connection={connection}
      />
      <Typography variant="caption" color="textSecondary">
        {lastSeq > 0 ? `through event ${lastSeq}` : 'no events yet'}
        {troubled && lastSeq > 0 ? ' · what is shown may be out of date' : ''}
        {error && connection !== 'connected' && connection !== 'complete'
          ? ` · ${error.message}${
              failures > 1 ? ` (${failures} failures)` : ''
            }`
          : ''}
      </Typography>
      {(connection === 'disconnected' || connection === 'stale') && (
        <Button size="small" variant="outlined" onClick={state.reconnect}>
          Reconnect
        </Button>
      )}
    </Box>
  );
};
