import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { approvalFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunApprovalsPanel } from './RunApprovalsPanel';

describe('RunApprovalsPanel', () => {
  it('lists the run’s approvals pending first and decides one inline', async () => {
    let state: 'pending' | 'approved' = 'pending';
    const listCalls: unknown[] = [];
    const listApprovals: AgentsApi['listApprovals'] = async options => {
      listCalls.push(options);
      return {
        items: [
          approvalFixture('ap-old', {
            status: { state: 'rejected', decidedBy: 'user:default/bob' },
          }),
          approvalFixture('ap-new', { status: { state } }),
        ],
        resourceVersion: '1',
      };
    };
    const decideApproval: AgentsApi['decideApproval'] = async () => {
      state = 'approved';
      return approvalFixture('ap-new', { status: { state: 'approved' } });
    };
    const onDecided = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[[agentsApiRef, { listApprovals, decideApproval }]]}
      >
        <RunApprovalsPanel
          run="run-1"
          namespace="acme"
          onDecided={onDecided}
          pollIntervalMs={60_000}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    const cards = await screen.findAllByRole('article');
    expect(cards.map(c => c.getAttribute('aria-label'))).toEqual([
      'Approval ap-new',
      'Approval ap-old',
    ]);
    expect(listCalls[0]).toEqual({
      namespace: 'acme',
      labelSelector: 'agents.krate.dev/run=run-1',
    });

    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Approve' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getAllByLabelText('State approved')).toHaveLength(1);
  });

  it('says when the run needed no approval', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            agentsApiRef,
            {
              listApprovals: async () => ({ items: [], resourceVersion: '1' }),
            },
          ],
        ]}
      >
        <RunApprovalsPanel run="run-1" namespace="acme" />
      </TestApiProvider>,
    );
    expect(await screen.findByText(/No approvals/)).toBeInTheDocument();
  });
});
