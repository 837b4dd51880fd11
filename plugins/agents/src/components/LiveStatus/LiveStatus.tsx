import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { LiveMode } from '../../hooks/useLivePolling';
import { serverMessage } from '../../lib/serverMessage';

export interface LiveStatusProps {
  error?: Error;
  updatedAt?: number;
  /** What is live, e.g. "runs". */
  what: string;
  /** Whether changes are pushed (signals) or only polled. */
  mode?: LiveMode;
  /** The polling interval in effect. */
  intervalMs?: number;
}

function howLive(mode?: LiveMode, intervalMs?: number) {
  if (mode === 'signals') return ' · updates pushed (signals)';
  if (mode === 'polling') {
    return intervalMs
      ? ` · polling every ${Math.round(intervalMs / 1000)}s (no signals)`
      : ' · polling (no signals)';
  }
  return '';
}

/**
 * Says whether a view is live and how (pushed signals or polling): a quiet "updated" line, or a
 * warning that the data shown is stale because the last refresh failed.
 */
export const LiveStatus = ({
  error,
  updatedAt,
  what,
  mode,
  intervalMs,
}: LiveStatusProps) => {
  const at = updatedAt ? new Date(updatedAt).toLocaleTimeString() : undefined;
  if (error) {
    return (
      <Alert severity="warning" role="status">
        Live updates of {what} paused: {serverMessage(error)}.{' '}
        {at ? `Showing data from ${at} (stale); retrying.` : 'Retrying.'}
      </Alert>
    );
  }
  return (
    <Typography variant="caption" color="textSecondary" role="status">
      Live{howLive(mode, intervalMs)}
      {at ? ` · updated ${at}` : ''}
    </Typography>
  );
};
