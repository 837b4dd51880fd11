import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { RunPhaseChip } from './RunPhaseChip';

describe('RunPhaseChip', () => {
  it('shows the phase with its status icon and a reason that adds something', async () => {
    await renderInTestApp(
      <>
        <RunPhaseChip phase="Failed" reason="PolicyDenied" />
        <RunPhaseChip phase="Succeeded" reason="Succeeded" />
      </>,
    );
    expect(screen.getByLabelText('Phase Failed')).toHaveTextContent('Failed');
    expect(screen.getByTestId('status-error')).toBeInTheDocument();
    expect(screen.getByText('PolicyDenied')).toBeInTheDocument();
    expect(screen.getByTestId('status-ok')).toBeInTheDocument();
    expect(screen.getAllByText('Succeeded')).toHaveLength(1);
  });

  it('says in words that a budget stopped a run or holds it for an approval', async () => {
    await renderInTestApp(
      <>
        <RunPhaseChip phase="Failed" reason="BudgetExceeded" />
        <RunPhaseChip phase="Waiting" reason="AwaitingBudgetApproval" />
      </>,
    );
    expect(screen.getByText('Over budget: stopped')).toHaveAttribute(
      'title',
      'BudgetExceeded',
    );
    expect(
      screen.getByText('Over budget: awaiting approval'),
    ).toBeInTheDocument();
  });

  it('shows a run not yet reconciled as pending', async () => {
    await renderInTestApp(<RunPhaseChip />);
    expect(screen.getByLabelText('Phase Pending')).toBeInTheDocument();
  });
});
