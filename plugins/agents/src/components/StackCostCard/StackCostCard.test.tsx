import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CostRow } from '@krate/plugin-agents-common';
import { screen, within } from '@testing-library/react';
import {
  budgetEstimateFixture,
  budgetStateFixture,
} from '../../__testUtils__/budgetFixtures';
import {
  AgentsApi,
  agentsApiRef,
  BudgetStateFilters,
  CostsQuery,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { StackCostCard } from './StackCostCard';

const row = (key: string, usd: number, attempts = 1): CostRow => ({
  key,
  usd,
  inputTokens: 800,
  outputTokens: 200,
  tokens: 1000,
  attempts,
});

function renderCard(api: Partial<AgentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <StackCostCard
        namespace="acme"
        stack="scripted-demo"
        owner="group:default/payments"
      />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('StackCostCard', () => {
  it("shows the stack's budgets, its 30 days' spend, the cost per run and one more run's estimate", async () => {
    const budgetFilters: (BudgetStateFilters | undefined)[] = [];
    const queries: CostsQuery[] = [];
    await renderCard({
      getBudgetStates: async filters => {
        budgetFilters.push(filters);
        return {
          items: [
            budgetStateFixture('weekly', 7.5, {
              hardCap: true,
              onExceed: 'requireApproval',
            }),
          ],
        };
      },
      getCosts: async q => {
        queries.push(q);
        const items =
          q.groupBy === 'stack'
            ? [row('scripted-demo', 12.5, 7)]
            : [row('scripted-demo-b', 3), row('scripted-demo-a', 0.25)];
        return { groupBy: q.groupBy, since: '', until: '', items };
      },
      estimateBudget: async () => budgetEstimateFixture(),
    });

    const budget = await screen.findByRole('group', {
      name: 'Budget acme/weekly',
    });
    expect(budget).toHaveTextContent('weekly · stack scripted-demo · last 7d');
    expect(budget).toHaveTextContent('75%');
    expect(budget).toHaveTextContent(
      '$7.50 of $10.00 · $2.50 left · asks for an approval over it · stops running attempts',
    );
    expect(
      within(budget).getByRole('progressbar', { name: 'weekly spent 75%' }),
    ).toHaveAttribute('aria-valuenow', '75');
    expect(budgetFilters).toEqual([
      {
        namespace: 'acme',
        stack: 'scripted-demo',
        owner: 'group:default/payments',
      },
    ]);

    expect(
      screen.getByLabelText('Spent in the last 30 days'),
    ).toHaveTextContent('$12.50 · 1,000 tokens over 7 attempts');
    const perRun = screen.getByRole('list', { name: 'Cost per run' });
    expect(
      within(perRun)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'scripted-demo-b: $3.00 · 1,000 tokens',
      'scripted-demo-a: $0.2500 · 1,000 tokens',
    ]);
    expect(
      within(perRun).getByRole('link', { name: 'scripted-demo-b' }),
    ).toHaveAttribute('href', '/agents/runs/scripted-demo-b?namespace=acme');
    expect(queries).toEqual([
      expect.objectContaining({ groupBy: 'stack', stack: 'scripted-demo' }),
      expect.objectContaining({
        groupBy: 'run',
        stack: 'scripted-demo',
        namespace: 'acme',
        limit: 10,
      }),
    ]);

    expect(screen.getByLabelText('Estimate')).toHaveTextContent(
      '$0.4200 · 12,000 tokens (mean of the last 3 runs)',
    );
  });

  it('says when no budget covers the stack and nothing was spent', async () => {
    await renderCard({
      getBudgetStates: async () => ({ items: [] }),
      getCosts: async q => ({
        groupBy: q.groupBy,
        since: '',
        until: '',
        items: [],
      }),
      estimateBudget: async () =>
        budgetEstimateFixture({
          budgets: [],
          estimate: {
            usd: 0,
            inputTokens: 0,
            outputTokens: 0,
            basis: 'none',
            sampleSize: 0,
          },
        }),
    });
    expect(
      await screen.findByText('No budget covers this stack.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Nothing spent.')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Cost per run' })).toBeNull();
    expect(screen.getByLabelText('Estimate')).toHaveTextContent(
      'Estimated cost: no estimate yet',
    );
  });

  it('says why it cannot show the costs', async () => {
    await renderCard({
      getBudgetStates: async () => {
        throw new Error('budgets unavailable');
      },
      getCosts: async q => ({
        groupBy: q.groupBy,
        since: '',
        until: '',
        items: [],
      }),
      estimateBudget: async () => budgetEstimateFixture(),
    });
    expect(
      await screen.findByText(
        "Could not read the stack's costs: budgets unavailable",
      ),
    ).toBeInTheDocument();
  });
});
