import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  BudgetEstimate,
  DispatchRunRequest,
} from '@krate/plugin-agents-common';
import { stackFixture } from '../../__testUtils__/fixtures';
import {
  budgetEstimateFixture,
  budgetStateFixture,
} from '../../__testUtils__/budgetFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef, BudgetEstimateRequest } from '../../api';
import { rootRouteRef } from '../../routes';
import { DispatchComposer } from './DispatchComposer';

jest.setTimeout(30_000);

function renderComposer(
  estimateBudget: AgentsApi['estimateBudget'],
  createRun: AgentsApi['createRun'] = async () => {
    throw new Error('not dispatched in this test');
  },
) {
  const api: Partial<AgentsApi> = {
    estimateBudget,
    createRun,
    listStacks: async () => ({
      items: [stackFixture('scripted-demo', 'Ready')],
      resourceVersion: '1',
    }),
    listResources: async () => ({
      items: [],
      metadata: { resourceVersion: '1' },
    }),
    listMemoryOrgs: async () => ({ items: [] }),
    listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
  };
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <Routes>
        <Route path="/agents/runs/new" element={<DispatchComposer />} />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/runs/new?namespace=acme&stack=scripted-demo'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const refusedBy = (budget: string): BudgetEstimate =>
  budgetEstimateFixture({
    budgets: [{ ...budgetStateFixture(budget, 9.9), wouldExceed: true }],
    verdict: 'refused',
    reason: `the run would go over ${budget} ($0.10 left)`,
  });

describe('DispatchComposer budgets', () => {
  it('shows the estimate, its basis and each budget left once a stack is picked', async () => {
    const requests: BudgetEstimateRequest[] = [];
    await renderComposer(async request => {
      requests.push(request);
      return budgetEstimateFixture();
    });

    const estimate = await screen.findByRole('group', {
      name: 'Cost estimate',
    });
    expect(estimate).toHaveTextContent(
      'Estimated cost: $0.4200 · 12,000 tokens (mean of the last 3 runs)',
    );
    expect(
      screen.getByRole('list', { name: 'Covering budgets' }),
    ).toHaveTextContent('weekly (stack scripted-demo, last 7d): $2.50 left');
    expect(screen.getByLabelText('Budget verdict')).toHaveTextContent(
      'Within budget.',
    );
    expect(requests).toEqual([{ namespace: 'acme', stack: 'scripted-demo' }]);
  });

  it('estimates the prompt once typing pauses, not on every key', async () => {
    const requests: BudgetEstimateRequest[] = [];
    await renderComposer(async request => {
      requests.push(request);
      return budgetEstimateFixture({
        estimate: {
          ...budgetEstimateFixture().estimate,
          basis: 'modelPrice',
          sampleSize: 0,
        },
      });
    });
    await screen.findByRole('group', { name: 'Cost estimate' });

    for (const value of ['F', 'Fi', 'Fix', 'Fix it']) {
      fireEvent.change(screen.getByLabelText(/Prompt/), { target: { value } });
    }
    expect(requests).toHaveLength(1);
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1]).toEqual({
      namespace: 'acme',
      stack: 'scripted-demo',
      prompt: 'Fix it',
    });
    expect(
      await screen.findByText(/the prompt at claude-sonnet's price/),
    ).toBeInTheDocument();
  });

  it('says plainly that a dispatch would be refused', async () => {
    await renderComposer(async () => refusedBy('weekly'));
    expect(await screen.findByLabelText('Budget verdict')).toHaveTextContent(
      'This dispatch would be refused: the run would go over weekly ($0.10 left)',
    );
    expect(
      screen.getByRole('list', { name: 'Covering budgets' }),
    ).toHaveTextContent('this run would go over it');
  });

  it('says a dispatch would wait for an approval', async () => {
    await renderComposer(async () =>
      budgetEstimateFixture({
        verdict: 'requiresApproval',
        reason: 'over team-monthly',
      }),
    );
    expect(await screen.findByLabelText('Budget verdict')).toHaveTextContent(
      'This dispatch would wait for an approval: over team-monthly',
    );
  });

  it('shows a budget refusal of the dispatch as its own error', async () => {
    const requests: DispatchRunRequest[] = [];
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'BudgetExceeded: weekly has $0.10 left of $10.00',
          },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderComposer(
      async () => budgetEstimateFixture(),
      async request => {
        requests.push(request);
        throw refused;
      },
    );
    fireEvent.change(await screen.findByLabelText(/Prompt/), {
      target: { value: 'Fix it' },
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Dispatch' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Dispatch' }));

    const alert = await screen.findByLabelText('Refused by a budget');
    expect(alert).toHaveTextContent('Refused: over budget');
    expect(alert).toHaveTextContent('weekly has $0.10 left of $10.00');
    expect(alert).not.toHaveTextContent('BudgetExceeded:');
    expect(requests).toHaveLength(1);
  });

  it('says why there is no estimate when the estimate fails', async () => {
    await renderComposer(async () => {
      throw new Error('stack scripted-demo not found');
    });
    expect(
      await screen.findByText(
        'Could not estimate the cost: stack scripted-demo not found',
      ),
    ).toBeInTheDocument();
  });
});
