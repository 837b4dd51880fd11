import {
  agentsResourcePermission,
  WebhookDelivery,
} from '@krate/plugin-agents-common';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { GatedButton } from '../GatedButton';

export interface ReplayButtonProps {
  delivery: WebhookDelivery;
  busy: boolean;
  onReplay: (delivery: WebhookDelivery) => void;
}

/** Replays one delivery; disabled, with the reason on hover, without the permission. */
export const ReplayButton = ({
  delivery,
  busy,
  onReplay,
}: ReplayButtonProps) => {
  const { namespace, name } = delivery.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission('WebhookDelivery', 'create'),
    resourceRefOf('WebhookDelivery', namespace, name),
    `replay webhook delivery ${namespace}/${name}`,
  );
  return (
    <GatedButton
      size="small"
      variant="outlined"
      disabled={busy}
      reason={forbidden}
      hint="Processes the kept payload again as a new delivery; rules may dispatch runs"
      onClick={() => onReplay(delivery)}
    >
      Replay
    </GatedButton>
  );
};
