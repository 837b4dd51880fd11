import { WebhookDelivery } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

export interface DeliveryStateChipProps {
  /** Unset until the backend wrote the delivery's status: it was received. */
  state?: NonNullable<WebhookDelivery['status']>['state'];
}

/** What became of a webhook delivery: received (not processed yet), processed or failed. */
export const DeliveryStateChip = ({ state }: DeliveryStateChipProps) => {
  const label = state ?? 'received';
  let color: 'primary' | 'secondary' | 'default' = 'default';
  if (label === 'processed') color = 'primary';
  else if (label === 'failed') color = 'secondary';
  return (
    <Chip
      size="small"
      label={label}
      color={color}
      variant={label === 'processed' ? 'default' : 'outlined'}
      aria-label={`State ${label}`}
    />
  );
};
