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
import {
  AWAITING_BUDGET_APPROVAL_REASON,
  BUDGET_EXCEEDED_REASON,
} from '@krate/plugin-agents-common';

const STATUS_OF: Record<string, typeof StatusOK> = {
  Queued: StatusPending,
  Running: StatusRunning,
  Waiting: StatusWarning,
  Succeeded: StatusOK,
  Failed: StatusError,
  Cancelled: StatusAborted,
};

/** Reasons whose identifier reads poorly on its own. */
const REASON_TEXT: Record<string, string> = {
  [BUDGET_EXCEEDED_REASON]: 'Over budget: stopped',
  [AWAITING_BUDGET_APPROVAL_REASON]: 'Over budget: awaiting approval',
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
        <Typography variant="caption" color="textSecondary" title={reason}>
          {REASON_TEXT[reason] ?? reason}
        </Typography>
      )}
    </Box>
  );
};
