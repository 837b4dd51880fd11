import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentApproval } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef } from 'react';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { ofRun } from '../../hooks/useLiveRefresh';
import { serverMessage } from '../../lib/serverMessage';
import { ApprovalCard } from '../ApprovalCard';

/** Pending approvals first, then the rest newest first. */
export function byUrgency(approvals: AgentApproval[]): AgentApproval[] {
  const pending = (a: AgentApproval) =>
    (a.status?.state ?? 'pending') === 'pending';
  return [...approvals].sort((a, b) => {
    if (pending(a) !== pending(b)) return pending(a) ? -1 : 1;
    return (b.metadata.creationTimestamp ?? '').localeCompare(
      a.metadata.creationTimestamp ?? '',
    );
  });
}

export interface RunApprovalsPanelProps {
  run: string;
  namespace: string;
  pollIntervalMs?: number;
  /** Changes when something may have asked for a new approval. */
  refreshKey?: unknown;
  onDecided?: (approval: AgentApproval) => void;
}

/** The run's human gates, decided inline. */
export const RunApprovalsPanel = ({
  run,
  namespace,
  pollIntervalMs = 3000,
  refreshKey,
  onDecided,
}: RunApprovalsPanelProps) => {
  const agentsApi = useApi(agentsApiRef);
  const known = useRef(new Set<string>());
  const approvals = useLivePolling(
    () =>
      agentsApi.listApprovals({
        namespace,
        labelSelector: `agents.krate.dev/run=${run}`,
      }),
    [agentsApi, run, namespace],
    {
      kinds: ['AgentApproval'],
      // A write-back's approval may be named otherwise than `<run>-…`: those on show count too.
      matches: signal =>
        ofRun(run)(signal) ||
        (signal.namespace === namespace && known.current.has(signal.name)),
      intervalMs: pollIntervalMs,
    },
  );
  known.current = new Set(
    approvals.value?.items.map(a => a.metadata.name) ?? [],
  );
  const { refresh } = approvals;
  useEffect(() => {
    if (refreshKey !== undefined) refresh();
  }, [refresh, refreshKey]);

  let body;
  if (approvals.loading) {
    body = <Progress />;
  } else if (!approvals.value) {
    body = (
      <Alert severity="error">
        Could not list the run's approvals: {serverMessage(approvals.error)}
      </Alert>
    );
  } else if (approvals.value.items.length === 0) {
    body = (
      <Typography color="textSecondary">
        No approvals: nothing this run did needed a human decision.
      </Typography>
    );
  } else {
    body = (
      <Box display="flex" flexDirection="column" gridGap={8}>
        {byUrgency(approvals.value.items).map(approval => (
          <ApprovalCard
            key={approval.metadata.name}
            approval={approval}
            hideRun
            onDecided={decided => {
              approvals.refresh();
              onDecided?.(decided);
            }}
          />
        ))}
      </Box>
    );
  }
  return <InfoCard title="Approvals">{body}</InfoCard>;
};
