import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { BudgetState } from '@krate/plugin-agents-common';
import Typography from '@material-ui/core/Typography';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { useLivePolling } from '../../hooks/useLivePolling';
import { daysAgo, formatSpend } from '../../lib/budgetText';
import { serverMessage } from '../../lib/serverMessage';
import { BudgetBar } from '../BudgetBar';
import { OrgSpend, spendSummary } from './spendSummary';

const DAYS = 30;
const TOP = 5;

const Section = ({ title }: { title: string }) => (
  <Typography variant="subtitle2" style={{ marginTop: 12 }}>
    {title}
  </Typography>
);

const Nothing = ({ children }: { children: string }) => (
  <Typography variant="body2" color="textSecondary">
    {children}
  </Typography>
);

/**
 * Spend on the overview: the last 30 days by owner and by stack (the top five of each, over every
 * org with stacks), and the budgets that are exceeded or near their limit.
 */
export const SpendCard = ({
  pollIntervalMs = 30000,
}: {
  pollIntervalMs?: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const spend = useLivePolling(
    async () => {
      const stacks = await agentsApi.listStacks({ limit: 500 });
      const orgs = [...new Set(stacks.items.map(s => s.metadata.namespace))];
      const since = daysAgo(DAYS);
      const perOrg = await Promise.all(
        orgs.map(async (namespace): Promise<OrgSpend> => {
          const [owners, stackCosts, budgets] = await Promise.all([
            agentsApi.getCosts({
              namespace,
              groupBy: 'owner',
              since,
              limit: TOP,
            }),
            agentsApi.getCosts({
              namespace,
              groupBy: 'stack',
              since,
              limit: TOP,
            }),
            agentsApi.getBudgetStates({ namespace }),
          ]);
          return {
            namespace,
            owners: owners.items,
            stacks: stackCosts.items,
            budgets: budgets.items,
          };
        }),
      );
      return spendSummary(perOrg, TOP);
    },
    [agentsApi],
    {
      kinds: ['AgentDispatchAttempt'],
      intervalMs: pollIntervalMs,
    },
  );

  const budgetTitle = (budget: BudgetState) => {
    const { kind, name } = budget.scope;
    if (kind === 'owner') return undefined;
    const to =
      kind === 'stack'
        ? paths.stack(budget.namespace, name)
        : paths.rule(budget.namespace, name);
    return (
      <Link to={to}>
        {budget.namespace}/{budget.name}
      </Link>
    );
  };

  let body;
  if (spend.loading) {
    body = <Progress />;
  } else if (!spend.value) {
    body = (
      <Typography color="error">
        Could not read the costs and budgets: {serverMessage(spend.error)}
      </Typography>
    );
  } else {
    const { owners, stacks, budgets } = spend.value;
    body = (
      <>
        <Section title="By owner" />
        {owners.length === 0 ? (
          <Nothing>Nothing spent in the last 30 days.</Nothing>
        ) : (
          <ul
            aria-label="Spend by owner"
            style={{ margin: 0, paddingLeft: 20 }}
          >
            {owners.map(row => (
              <li key={row.key}>
                <Typography variant="body2">
                  {row.key}: {formatSpend(row)}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        <Section title="By stack" />
        {stacks.length === 0 ? (
          <Nothing>Nothing spent in the last 30 days.</Nothing>
        ) : (
          <ul
            aria-label="Spend by stack"
            style={{ margin: 0, paddingLeft: 20 }}
          >
            {stacks.map(({ namespace, row }) => (
              <li key={`${namespace}/${row.key}`}>
                <Typography variant="body2">
                  <Link to={paths.stack(namespace, row.key)}>
                    {namespace}/{row.key}
                  </Link>
                  : {formatSpend(row)}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        <Section title="Budgets exceeded or above 80%" />
        {budgets.length === 0 ? (
          <Nothing>Every budget is below 80% of its limit.</Nothing>
        ) : (
          budgets.map(budget => (
            <BudgetBar
              key={`${budget.namespace}/${budget.name}`}
              budget={budget}
              title={budgetTitle(budget)}
            />
          ))
        )}
      </>
    );
  }
  return <InfoCard title="Spend (last 30 days)">{body}</InfoCard>;
};
