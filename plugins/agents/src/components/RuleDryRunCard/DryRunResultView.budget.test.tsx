import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  budgetEstimateFixture,
  budgetStateFixture,
} from '../../__testUtils__/budgetFixtures';
import { dryRunResultFixture } from '../../__testUtils__/ruleFixtures';
import { rootRouteRef } from '../../routes';
import { DryRunResultView } from './DryRunResultView';

const render = (result: ReturnType<typeof dryRunResultFixture>) =>
  renderInTestApp(<DryRunResultView result={result} namespace="acme" />, {
    mountedRoutes: { '/agents': rootRouteRef },
  });

describe('DryRunResultView budget', () => {
  it("shows the run's estimate, the budgets covering it and the verdict", async () => {
    await render(
      dryRunResultFixture({
        budget: budgetEstimateFixture({
          budgets: [
            {
              ...budgetStateFixture('nightly-cap', 9.8, {
                scope: { kind: 'rule', name: 'checkout-agent-ready' },
                onExceed: 'requireApproval',
              }),
              wouldExceed: true,
            },
          ],
          verdict: 'requiresApproval',
          reason: 'nightly-cap has $0.20 left',
        }),
      }),
    );
    const estimate = screen.getByRole('group', { name: 'Cost estimate' });
    expect(within(estimate).getByLabelText('Estimate')).toHaveTextContent(
      '$0.4200 · 12,000 tokens (mean of the last 3 runs)',
    );
    expect(estimate).toHaveTextContent(
      'nightly-cap (rule checkout-agent-ready, last 7d): $0.2000 left · this run would go over it',
    );
    expect(within(estimate).getByLabelText('Budget verdict')).toHaveTextContent(
      'This dispatch would wait for an approval: nightly-cap has $0.20 left',
    );
  });

  it('shows no cost section when the dry-run has no estimate', async () => {
    await render(dryRunResultFixture());
    expect(screen.queryByText('Cost and budgets')).toBeNull();
    expect(screen.queryByRole('group', { name: 'Cost estimate' })).toBeNull();
  });
});
