import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { agentsApiRef, ItemList } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { LiveStatus } from '../LiveStatus';

const ACTIVE_PHASES = ['Running', 'Waiting', 'Queued'] as const;
const LIMIT = 500;

/** How many items a list holds; `500+` when there are more pages. */
const countOf = (list: ItemList<unknown>) =>
  `${list.items.length}${list.continue ? '+' : ''}`;

const Counter = (props: {
  label: string;
  value?: string;
  to: string;
  children?: ReactNode;
}) => (
  <InfoCard>
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      <Link to={props.to} aria-label={props.label}>
        <Typography variant="h3" component="span" data-testid={props.label}>
          {props.value ?? '…'}
        </Typography>
      </Link>
      <Typography variant="subtitle1">{props.label}</Typography>
      {props.children}
    </Box>
  </InfoCard>
);

/** Live counters: active runs, pending approvals and stack readiness, each linking to its list. */
export const OverviewCounters = ({
  pollIntervalMs = 5000,
}: {
  pollIntervalMs?: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const counts = useLivePolling(
    async () => {
      const [phases, approvals, stacks] = await Promise.all([
        Promise.all(
          ACTIVE_PHASES.map(phase =>
            agentsApi.listRuns({ phase, limit: LIMIT }),
          ),
        ),
        agentsApi.listApprovals({ phase: 'pending', limit: LIMIT }),
        agentsApi.listStacks({ limit: LIMIT }),
      ]);
      const active = phases.reduce((sum, list) => sum + list.items.length, 0);
      const readiness = { Ready: 0, Warning: 0, Invalid: 0 };
      for (const stack of stacks.items) {
        const state = stack.status?.readiness;
        if (state) readiness[state]++;
      }
      return {
        active: `${active}${phases.some(p => p.continue) ? '+' : ''}`,
        byPhase: phases.map(countOf),
        approvals: countOf(approvals),
        stacks: readiness,
      };
    },
    [agentsApi],
    {
      kinds: ['AgentDispatchRun', 'AgentApproval', 'AgentStack'],
      intervalMs: pollIntervalMs,
    },
  );
  const value = counts.value;

  return (
    <>
      <Grid item xs={12}>
        <LiveStatus
          what="counters"
          error={counts.error}
          updatedAt={counts.updatedAt}
          mode={counts.mode}
          intervalMs={counts.intervalMs}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <Counter label="Active runs" value={value?.active} to={paths.runs()}>
          <Typography variant="body2" color="textSecondary">
            {ACTIVE_PHASES.map((phase, i) => (
              <span key={phase}>
                {i > 0 && ' · '}
                <Link to={paths.runs({ phase })}>
                  {value?.byPhase[i] ?? '…'} {phase.toLowerCase()}
                </Link>
              </span>
            ))}
          </Typography>
        </Counter>
      </Grid>
      <Grid item xs={12} md={4}>
        <Counter
          label="Pending approvals"
          value={value?.approvals}
          to={paths.approvals()}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <Counter
          label="Ready stacks"
          value={value ? String(value.stacks.Ready) : undefined}
          to={paths.stacks}
        >
          <Typography variant="body2" color="textSecondary">
            {value
              ? `${value.stacks.Warning} with warnings · ${value.stacks.Invalid} invalid`
              : '…'}
          </Typography>
        </Counter>
      </Grid>
    </>
  );
};
