import { renderInTestApp } from '@backstage/test-utils';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { screen } from '@testing-library/react';
import { runFixture } from '../../__testUtils__/fixtures';
import { rootRouteRef } from '../../routes';
import { RunSummary } from './RunSummary';

const render = (status: AgentDispatchRun['status']) =>
  renderInTestApp(<RunSummary run={runFixture('run-1', { status })} />, {
    mountedRoutes: { '/agents': rootRouteRef },
  });

describe('RunSummary', () => {
  it('says a finished run completed once, not as reason and again as message', async () => {
    await render({
      phase: 'Succeeded',
      reason: 'Completed',
      message: 'Completed',
    });
    expect(screen.getByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(screen.getAllByText('Completed')).toHaveLength(1);
  });

  it('keeps a message that says more than the reason', async () => {
    await render({
      phase: 'Succeeded',
      reason: 'Completed',
      message: 'Opened pull request #12',
    });
    expect(screen.getByText('Completed')).toBeInTheDocument();
    expect(screen.getByText('Opened pull request #12')).toBeInTheDocument();
  });

  it('explains a run stopped by a budget', async () => {
    await render({
      phase: 'Failed',
      reason: 'BudgetExceeded',
      message: 'weekly: $10.02 of $10.00',
    });
    expect(screen.getByLabelText('BudgetExceeded')).toHaveTextContent(
      "Stopped by a budget: the run crossed a budget's hard cap; what it spent until then is recorded. weekly: $10.02 of $10.00",
    );
  });

  it('explains a run held for a budget approval', async () => {
    await render({ phase: 'Waiting', reason: 'AwaitingBudgetApproval' });
    expect(screen.getByLabelText('AwaitingBudgetApproval')).toHaveTextContent(
      'Waiting for a budget approval: this run would go over a budget',
    );
  });

  it('links the session a run was dispatched to continue', async () => {
    await renderInTestApp(
      <RunSummary
        run={runFixture('run-2', {
          spec: { continuesSession: 'run-1-1-session' },
          status: { phase: 'Running', session: 'sess-1' },
        })}
      />,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    expect(screen.getByLabelText('Continued session')).toHaveAttribute(
      'href',
      '/agents/sessions/acme/run-1-1-session',
    );
  });
});
