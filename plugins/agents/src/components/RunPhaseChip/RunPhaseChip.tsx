import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const STATUS_OF: Record<string, typeof StatusOK> = {
  Queued: StatusPending,
  Running: StatusRunning,
  Waiting: StatusWarning,
  Succeeded: StatusOK,
  Failed: StatusError,
  Cancelled: StatusAborted,
};

export interface RunPhaseChipProps {
  phase?: string;
  /** Shown under the phase when it says more than the phase. */
  reason?: string;
}

/**
 * A status message worth showing next to the phase chip: not when it only repeats the reason or
 * the phase (the backend stores a successful attempt as reason and message `Completed`).
 */
export function phaseMessage(status: {
  phase?: string;
  reason?: string;
  message?: string;
}): string | undefined {
  const { phase, reason, message } = status;
  return message && message !== reason && message !== phase
    ? message
    : undefined;
}

/** A run's or attempt's phase as a CI-style status, with its reason. */
export const RunPhaseChip = ({ phase, reason }: RunPhaseChipProps) => {
  const Status = (phase && STATUS_OF[phase]) || StatusPending;
  const label = phase ?? 'Pending';
  return (
    <Box display="inline-flex" flexDirection="column">
      <Status aria-hidden={false} aria-label={`Phase ${label}`}>
        {label}
      </Status>
      {reason && reason !== phase && (
        <Typography variant="caption" color="textSecondary">
          {reason}
        </Typography>
      )}
    </Box>
  );
};
