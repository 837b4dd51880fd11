import { TriggerOutcome } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

export interface TriggerOutcomeChipProps {
  /** Unset while the delivery has not been evaluated yet. */
  outcome?: TriggerOutcome;
}

/** What a trigger delivery came to: dispatched, coalesced, rejected or not-matched. */
export const TriggerOutcomeChip = ({ outcome }: TriggerOutcomeChipProps) => {
  const label = outcome ?? 'pending';
  let color: 'primary' | 'secondary' | 'default' = 'default';
  if (outcome === 'dispatched') color = 'primary';
  else if (outcome === 'rejected') color = 'secondary';
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      variant={outcome === 'dispatched' ? 'default' : 'outlined'}
      aria-label={`Outcome ${label}`}
    />
  );
};
