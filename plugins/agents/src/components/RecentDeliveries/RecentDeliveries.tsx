import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { WebhookDelivery } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef } from '../../api';
import { serverMessage } from '../../lib/serverMessage';
import { LiveStatus } from '../LiveStatus';
import { DeliveriesTable } from './DeliveriesTable';
import { RECENT_DELIVERIES, useRecentDeliveries } from './useRecentDeliveries';

export interface RecentDeliveriesProps {
  /** The org whose deliveries are shown; every org's when undefined. */
  namespace?: string;
  pollIntervalMs?: number;
}

interface ReplayAnswer {
  severity: 'success' | 'error';
  message: string;
}

/**
 * The newest webhook deliveries the forges sent, with what processing made of each, and Replay:
 * the backend processes the kept payload again as a new delivery pointing at the original.
 */
export const RecentDeliveries = ({
  namespace,
  pollIntervalMs,
}: RecentDeliveriesProps) => {
  const agentsApi = useApi(agentsApiRef);
  const deliveries = useRecentDeliveries(namespace, pollIntervalMs);
  const [replaying, setReplaying] = useState<string>();
  const [answer, setAnswer] = useState<ReplayAnswer>();

  const replay = async ({ metadata }: WebhookDelivery) => {
    const { namespace: org, name } = metadata;
    setReplaying(`${org}/${name}`);
    setAnswer(undefined);
    try {
      const created = await agentsApi.replayDelivery(name, org);
      setAnswer({
        severity: 'success',
        message: `Replaying ${name} as ${created.metadata.name}; it is processed in the background.`,
      });
      deliveries.refresh();
    } catch (error) {
      setAnswer({
        severity: 'error',
        message: `Could not replay ${name}: ${serverMessage(error)}`,
      });
    } finally {
      setReplaying(undefined);
    }
  };

  let body;
  if (deliveries.loading) {
    body = <Progress />;
  } else if (!deliveries.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list webhook deliveries"
        error={deliveries.error!}
      />
    );
  } else if (!deliveries.value.items.length) {
    body = (
      <EmptyState
        missing="data"
        title={
          namespace
            ? `No webhook deliveries in ${namespace} yet`
            : 'No webhook deliveries yet'
        }
        description="Forges send signed deliveries to /api/agents/webhooks/<endpoint>, e.g. /api/agents/webhooks/github; each one shows up here with the rule executions it led to."
      />
    );
  } else {
    body = (
      <>
        <LiveStatus
          what="deliveries"
          error={deliveries.error}
          updatedAt={deliveries.updatedAt}
          mode={deliveries.mode}
          intervalMs={deliveries.intervalMs}
        />
        {answer && (
          <Box my={1}>
            <Alert severity={answer.severity}>{answer.message}</Alert>
          </Box>
        )}
        <DeliveriesTable
          deliveries={deliveries.value.items}
          replaying={replaying}
          onReplay={replay}
        />
        {deliveries.value.continue && (
          <Typography variant="caption" color="textSecondary">
            The {RECENT_DELIVERIES} newest deliveries; older ones are not shown.
          </Typography>
        )}
      </>
    );
  }
  return <InfoCard title="Recent webhook deliveries">{body}</InfoCard>;
};
