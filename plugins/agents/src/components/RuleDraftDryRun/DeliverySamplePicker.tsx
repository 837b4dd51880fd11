import { WebhookDelivery } from '@krate/plugin-agents-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { formatTime } from '../../lib/format';
import { serverMessage } from '../../lib/serverMessage';
import { useRecentDeliveries } from '../RecentDeliveries/useRecentDeliveries';

export interface DeliverySamplePickerProps {
  namespace: string;
  /** The delivery whose payload the sample holds, if any. */
  picked?: string;
  onPick: (delivery: WebhookDelivery) => void;
}

/** What a delivery was, in one line: event type, repository, time and what became of it. */
export function deliveryLabel({ spec, status }: WebhookDelivery): string {
  return [
    spec.eventType,
    spec.repository ?? 'no repository',
    formatTime(spec.receivedTime),
    status?.state ?? 'received',
  ].join(' · ');
}

/** The org's recent webhook deliveries to take a dry-run's sample event from. */
export const DeliverySamplePicker = ({
  namespace,
  picked,
  onPick,
}: DeliverySamplePickerProps) => {
  const deliveries = useRecentDeliveries(namespace || undefined);
  const items = (deliveries.value?.items ?? []).filter(
    d => d.metadata.namespace === namespace,
  );
  let helperText = 'Loads the payload the forge sent as the sample event';
  if (deliveries.loading) helperText = 'Reading the recent deliveries…';
  else if (!deliveries.value && deliveries.error) {
    helperText = `Could not list deliveries: ${serverMessage(
      deliveries.error,
    )}`;
  } else if (!items.length) {
    helperText = `No recent webhook deliveries in ${
      namespace || 'this org'
    }: write or paste a sample below`;
  }

  return (
    <TextField
      select
      fullWidth
      id="rule-draft-delivery"
      label="Sample from a recent delivery"
      variant="outlined"
      size="small"
      value={picked ?? ''}
      disabled={!items.length}
      helperText={helperText}
      onChange={e => {
        const delivery = items.find(d => d.metadata.name === e.target.value);
        if (delivery) onPick(delivery);
      }}
    >
      {items.map(delivery => (
        <MenuItem key={delivery.metadata.name} value={delivery.metadata.name}>
          {deliveryLabel(delivery)}
        </MenuItem>
      ))}
    </TextField>
  );
};
