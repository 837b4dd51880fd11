import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { budgetStateFixture } from '../../__testUtils__/budgetFixtures';
import { stackFixture } from '../../__testUtils__/fixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  AgentsApi,
  agentsApiRef,
  AgentsResource,
  BudgetStateFilters,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { BudgetsPage } from './BudgetsPage';

// The editor drawer renders the schema form; a loaded CI machine needs time.
jest.setTimeout(30_000);

function renderPage(api: Partial<AgentsApi>, route = '/agents/budgets') {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <BudgetsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const listStacks: AgentsApi['listStacks'] = async () => ({
  items: [
    stackFixture('scripted-demo', 'Ready'),
    stackFixture('other', 'Ready', '', 'globex'),
  ],
  resourceVersion: '1',
});

describe('BudgetsPage', () => {
  it("lists every org's budgets with their spend, and opens one in the editor", async () => {
    const filters: (BudgetStateFilters | undefined)[] = [];
    const applied: AgentsResource = {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentBudget',
      metadata: { name: 'weekly', namespace: 'acme', uid: 'b1' },
      spec: {
        scope: { stack: 'scripted-demo' },
        window: '7d',
        limits: { usd: 10 },
      },
    };
    await renderPage({
      listStacks,
      getBudgetStates: async f => {
        filters.push(f);
        return {
          items:
            f?.namespace === 'acme'
              ? [budgetStateFixture('weekly', 7.5)]
              : [
                  budgetStateFixture('team', 10, {
                    namespace: 'globex',
                    scope: { kind: 'owner', name: 'group:default/payments' },
                  }),
                ],
        };
      },
      getResource: async () => applied,
    });

    const list = await screen.findByRole('list', { name: 'Budgets' });
    expect(filters).toEqual([{ namespace: 'acme' }, { namespace: 'globex' }]);
    const weekly = within(list).getByRole('group', {
      name: 'Budget acme/weekly',
    });
    expect(weekly).toHaveTextContent('$7.50 of $10.00 · $2.50 left');
    expect(
      within(weekly).getByRole('link', { name: 'acme/weekly' }),
    ).toHaveAttribute('href', '/agents/resources/agentbudgets/acme/weekly');
    expect(
      within(list).getByRole('group', { name: 'Budget globex/team' }),
    ).toHaveTextContent('exceeded');

    fireEvent.click(screen.getByRole('button', { name: 'Edit acme/weekly' }));
    expect(await screen.findByLabelText('metadata.name')).toHaveValue('weekly');
  });

  it('reads only the chosen org, and offers New budget when it has none', async () => {
    const filters: (BudgetStateFilters | undefined)[] = [];
    await renderPage(
      {
        listStacks,
        getBudgetStates: async f => {
          filters.push(f);
          return { items: [] };
        },
      },
      '/agents/budgets?namespace=globex',
    );
    expect(await screen.findByText('No budgets in globex')).toBeInTheDocument();
    expect(filters).toEqual([{ namespace: 'globex' }]);

    fireEvent.click(screen.getByRole('button', { name: 'New budget' }));
    await waitFor(() =>
      expect(screen.getByLabelText('metadata.namespace')).toHaveValue('globex'),
    );
  });

  it('says why the budgets cannot be read', async () => {
    await renderPage({
      listStacks,
      getBudgetStates: async () => {
        throw new Error('agents.resource.read denied');
      },
    });
    expect(
      await screen.findByText(/Could not read the budgets/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/agents.resource.read denied/).length,
    ).toBeGreaterThan(0);
  });
});
