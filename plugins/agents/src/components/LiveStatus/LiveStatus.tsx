import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { serverMessage } from '../../lib/serverMessage';

export interface LiveStatusProps {
  error?: Error;
  updatedAt?: number;
  /** What is live, e.g. "runs". */
  what: string;
}

/**
 * Says whether a polled view is live: a quiet "updated" line, or a warning that the data shown
 * is stale because the last refresh failed.
 */
export const LiveStatus = ({ error, updatedAt, what }: LiveStatusProps) => {
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
      Live{at ? ` · updated ${at}` : ''}
    </Typography>
  );
};
