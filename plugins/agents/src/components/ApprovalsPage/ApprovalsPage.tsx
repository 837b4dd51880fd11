import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { AgentsNav } from '../AgentsNav';
import { ApprovalCard } from '../ApprovalCard';
import { LiveStatus } from '../LiveStatus';
import { OrgSwitcher, useSelectedOrg } from '../OrgSwitcher';

const DECIDED_LIMIT = 50;

export interface ApprovalsPageProps {
  pollIntervalMs?: number;
}

/** The inbox of human gates across repositories: pending first, decided below. */
export const ApprovalsPage = ({
  pollIntervalMs = 3000,
}: ApprovalsPageProps) => {
  const agentsApi = useApi(agentsApiRef);
  const namespace = useSelectedOrg();

  const approvals = useLivePolling(
    async () => {
      const [pending, recent] = await Promise.all([
        agentsApi.listApprovals({ namespace, phase: 'pending', limit: 500 }),
        agentsApi.listApprovals({ namespace, limit: DECIDED_LIMIT }),
      ]);
      return {
        pending: pending.items,
        decided: recent.items.filter(
          a => (a.status?.state ?? 'pending') !== 'pending',
        ),
      };
    },
    [agentsApi, namespace],
    { kinds: ['AgentApproval'], intervalMs: pollIntervalMs },
  );

  let body;
  if (approvals.loading) {
    body = <Progress />;
  } else if (!approvals.value) {
    body = (
      <ResponseErrorPanel
        title="Could not list approvals"
        error={approvals.error!}
      />
    );
  } else {
    const { pending, decided } = approvals.value;
    body = (
      <>
        <Typography variant="h6" component="h2" gutterBottom>
          Pending ({pending.length})
        </Typography>
        {pending.length === 0 ? (
          <EmptyState
            missing="data"
            title="Nothing waits for a decision"
            description="When a run asks for a write-back, shell, network, secret or release action that policy gates, it shows up here."
          />
        ) : (
          <Box
            display="flex"
            flexDirection="column"
            gridGap={12}
            mb={3}
            role="list"
            aria-label="Pending approvals"
          >
            {pending.map(approval => (
              <div
                role="listitem"
                key={`${approval.metadata.namespace}/${approval.metadata.name}`}
              >
                <ApprovalCard
                  approval={approval}
                  onDecided={approvals.refresh}
                />
              </div>
            ))}
          </Box>
        )}
        <Typography
          variant="h6"
          component="h2"
          gutterBottom
          style={{ marginTop: 24 }}
        >
          Decided
        </Typography>
        {decided.length === 0 ? (
          <Typography color="textSecondary">No decisions yet.</Typography>
        ) : (
          <Box
            display="flex"
            flexDirection="column"
            gridGap={12}
            role="list"
            aria-label="Decided approvals"
          >
            {decided.map(approval => (
              <div
                role="listitem"
                key={`${approval.metadata.namespace}/${approval.metadata.name}`}
              >
                <ApprovalCard approval={approval} />
              </div>
            ))}
          </Box>
        )}
      </>
    );
  }

  return (
    <Page themeId="tool">
      <Header title="Approvals" subtitle="Human gates on agent actions" />
      <AgentsNav />
      <Content>
        <ContentHeader title="Inbox">
          <OrgSwitcher
            seen={[
              ...(approvals.value?.pending ?? []),
              ...(approvals.value?.decided ?? []),
            ].map(a => a.metadata.namespace)}
          />
        </ContentHeader>
        {!approvals.loading && approvals.value && (
          <Box mb={2}>
            <LiveStatus
              what="approvals"
              error={approvals.error}
              updatedAt={approvals.updatedAt}
              mode={approvals.mode}
              intervalMs={approvals.intervalMs}
            />
          </Box>
        )}
        {body}
      </Content>
    </Page>
  );
};
