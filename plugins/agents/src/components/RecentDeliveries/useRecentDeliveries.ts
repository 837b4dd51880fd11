import { useApi } from '@backstage/core-plugin-api';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';

/** How many deliveries the card shows. */
export const RECENT_DELIVERIES = 25;

/** The newest webhook deliveries of one org or all, read again when one changes. */
export function useRecentDeliveries(
  namespace: string | undefined,
  pollIntervalMs?: number,
) {
  const agentsApi = useApi(agentsApiRef);
  return useLivePolling(
    () => agentsApi.listDeliveries({ namespace, limit: RECENT_DELIVERIES }),
    [agentsApi, namespace],
    {
      kinds: ['WebhookDelivery'],
      matches: namespace ? inNamespace(namespace) : undefined,
      intervalMs: pollIntervalMs,
    },
  );
}
