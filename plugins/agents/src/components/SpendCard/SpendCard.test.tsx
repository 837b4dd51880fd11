import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CostRow } from '@krate/plugin-agents-common';
import { screen, within } from '@testing-library/react';
import { budgetStateFixture } from '../../__testUtils__/budgetFixtures';
import { stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef, CostsQuery } from '../../api';
import { rootRouteRef } from '../../routes';
import { SpendCard } from './SpendCard';

const row = (key: string, usd: number): CostRow => ({
  key,
  usd,
  inputTokens: 1000,
  outputTokens: 500,
  tokens: 1500,
  attempts: 2,
});

const stacks: AgentsApi['listStacks'] = async () => ({
  items: [
    stackFixture('fixer', 'Ready'),
    stackFixture('reviewer', 'Ready', '', 'globex'),
  ],
  resourceVersion: '1',
});

function renderCard(api: Partial<AgentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listStacks: stacks, ...api }]]}>
      <SpendCard pollIntervalMs={60_000} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('SpendCard', () => {
  it("shows the last 30 days' spend by owner and by stack across orgs, and budgets near or over their limit", async () => {
    const queries: CostsQuery[] = [];
    await renderCard({
      getCosts: async q => {
        queries.push(q);
        const items =
          q.groupBy === 'owner'
            ? [row('group:default/payments', q.namespace === 'acme' ? 3 : 2)]
            : [
                row(
                  q.namespace === 'acme' ? 'fixer' : 'reviewer',
                  q.namespace === 'acme' ? 3 : 4,
                ),
              ];
        return { groupBy: q.groupBy, since: '', until: '', items };
      },
      getBudgetStates: async filters =>
        filters?.namespace === 'acme'
          ? {
              items: [
                budgetStateFixture('spent', 10),
                budgetStateFixture('near', 8.5, {
                  scope: { kind: 'rule', name: 'nightly' },
                }),
                budgetStateFixture('calm', 5),
              ],
            }
          : { items: [] },
    });

    const owners = await screen.findByRole('list', { name: 'Spend by owner' });
    expect(owners).toHaveTextContent(
      'group:default/payments: $5.00 · 3,000 tokens',
    );
    const byStack = screen.getByRole('list', { name: 'Spend by stack' });
    const items = within(byStack).getAllByRole('listitem');
    expect(items.map(i => i.textContent)).toEqual([
      'globex/reviewer: $4.00 · 1,500 tokens',
      'acme/fixer: $3.00 · 1,500 tokens',
    ]);
    expect(
      within(byStack).getByRole('link', { name: 'acme/fixer' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/fixer');

    expect(
      screen.getByRole('group', { name: 'Budget acme/spent' }),
    ).toHaveTextContent('exceeded');
    expect(screen.getByRole('link', { name: 'acme/spent' })).toHaveAttribute(
      'href',
      '/agents/stacks/acme/scripted-demo',
    );
    expect(
      screen.getByRole('group', { name: 'Budget acme/near' }),
    ).toHaveTextContent('85%');
    expect(
      screen.queryByRole('group', { name: 'Budget acme/calm' }),
    ).toBeNull();

    const since = Date.parse(queries[0].since!);
    expect(Date.now() - since).toBeGreaterThanOrEqual(
      30 * 24 * 3600_000 - 60_000,
    );
    expect(Date.now() - since).toBeLessThan(30 * 24 * 3600_000 + 60_000);
    expect(
      queries.map(q => `${q.namespace} ${q.groupBy} ${q.limit}`).sort(),
    ).toEqual([
      'acme owner 5',
      'acme stack 5',
      'globex owner 5',
      'globex stack 5',
    ]);
  });

  it('says when nothing was spent and no budget is near its limit', async () => {
    await renderCard({
      getCosts: async q => ({
        groupBy: q.groupBy,
        since: '',
        until: '',
        items: [],
      }),
      getBudgetStates: async () => ({ items: [budgetStateFixture('calm', 1)] }),
    });
    expect(
      await screen.findAllByText('Nothing spent in the last 30 days.'),
    ).toHaveLength(2);
    expect(
      screen.getByText('Every budget is below 80% of its limit.'),
    ).toBeInTheDocument();
  });

  it('says why it cannot show the spend', async () => {
    await renderCard({
      getCosts: async () => {
        throw new Error('costs are not recorded');
      },
      getBudgetStates: async () => ({ items: [] }),
    });
    expect(
      await screen.findByText(
        'Could not read the costs and budgets: costs are not recorded',
      ),
    ).toBeInTheDocument();
  });
});
