import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { daysAgo, formatSpend } from '../../lib/budgetText';
import { serverMessage } from '../../lib/serverMessage';
import { BudgetBar } from '../BudgetBar';
import { BudgetEstimateView } from '../BudgetEstimateView';

const DAYS = 30;
const RUNS = 10;

const Section = ({ title }: { title: string }) => (
  <Typography variant="subtitle2" style={{ marginTop: 12 }}>
    {title}
  </Typography>
);

export interface StackCostCardProps {
  namespace: string;
  stack: string;
  /** The stack's owning group: budgets over the owner cover it too. */
  owner?: string;
  pollIntervalMs?: number;
}

/**
 * A stack's cost: the budgets covering it, what it spent in the last 30 days and per run, and
 * what one more run is expected to cost.
 */
export const StackCostCard = ({
  namespace,
  stack,
  owner,
  pollIntervalMs = 30000,
}: StackCostCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const cost = useLivePolling(
    async () => {
      const since = daysAgo(DAYS);
      const [budgets, total, runs, estimate] = await Promise.all([
        agentsApi.getBudgetStates({ namespace, stack, owner }),
        agentsApi.getCosts({ namespace, groupBy: 'stack', stack, since }),
        agentsApi.getCosts({
          namespace,
          groupBy: 'run',
          stack,
          since,
          limit: RUNS,
        }),
        agentsApi.estimateBudget({ namespace, stack }),
      ]);
      return {
        budgets: budgets.items,
        total: total.items.find(row => row.key === stack),
        runs: runs.items,
        estimate,
      };
    },
    [agentsApi, namespace, stack, owner],
    {
      kinds: ['AgentDispatchAttempt'],
      intervalMs: pollIntervalMs,
    },
  );

  let body;
  if (cost.loading) {
    body = <Progress />;
  } else if (!cost.value) {
    body = (
      <Typography color="error">
        Could not read the stack's costs: {serverMessage(cost.error)}
      </Typography>
    );
  } else {
    const { budgets, total, runs, estimate } = cost.value;
    body = (
      <>
        <Section title="Budgets" />
        {budgets.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No budget covers this stack.
          </Typography>
        ) : (
          budgets.map(budget => <BudgetBar key={budget.name} budget={budget} />)
        )}
        <Section title="Spent in the last 30 days" />
        <Typography variant="body2" aria-label="Spent in the last 30 days">
          {total
            ? `${formatSpend(total)} over ${total.attempts} attempt${
                total.attempts === 1 ? '' : 's'
              }`
            : 'Nothing spent.'}
        </Typography>
        {runs.length > 0 && (
          <>
            <Section title="Per run, most expensive first" />
            <ul
              aria-label="Cost per run"
              style={{ margin: 0, paddingLeft: 20 }}
            >
              {runs.map(row => (
                <li key={row.key}>
                  <Typography variant="body2">
                    <Link to={paths.run(row.key, namespace)}>{row.key}</Link>:{' '}
                    {formatSpend(row)}
                  </Typography>
                </li>
              ))}
            </ul>
          </>
        )}
        <Section title="One more run" />
        <BudgetEstimateView budget={estimate} />
      </>
    );
  }
  return <InfoCard title="Cost">{body}</InfoCard>;
};
