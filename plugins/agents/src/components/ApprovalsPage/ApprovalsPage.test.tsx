import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { approvalFixture, stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ApprovalsPage } from './ApprovalsPage';

const listStacks: AgentsApi['listStacks'] = async () => ({
  items: [stackFixture('a', 'Ready'), stackFixture('b', 'Ready', '', 'globex')],
  resourceVersion: '1',
});

function renderPage(
  listApprovals: AgentsApi['listApprovals'],
  decideApproval?: AgentsApi['decideApproval'],
  route = '/agents/approvals',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[[agentsApiRef, { listApprovals, listStacks, decideApproval }]]}
    >
      <ApprovalsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('ApprovalsPage', () => {
  it('puts pending approvals first and decided ones below, and moves one on approval', async () => {
    let decided = false;
    const calls: unknown[] = [];
    await renderPage(
      async options => {
        calls.push(options);
        const pending = approvalFixture('ap-pending', {
          status: decided
            ? { state: 'approved', decidedBy: 'user:development/guest' }
            : { state: 'pending' },
        });
        const old = approvalFixture('ap-old', { status: { state: 'expired' } });
        if (options?.phase === 'pending') {
          return { items: decided ? [] : [pending], resourceVersion: '1' };
        }
        return { items: [pending, old], resourceVersion: '1' };
      },
      async () => {
        decided = true;
        return approvalFixture('ap-pending', { status: { state: 'approved' } });
      },
    );
    const pendingList = await screen.findByRole('list', {
      name: 'Pending approvals',
    });
    expect(
      within(pendingList).getByRole('article', { name: 'Approval ap-pending' }),
    ).toBeInTheDocument();
    const decidedList = screen.getByRole('list', { name: 'Decided approvals' });
    expect(
      within(decidedList).getByRole('article', { name: 'Approval ap-old' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Pending (1)')).toBeInTheDocument();
    expect(calls).toContainEqual({
      namespace: undefined,
      phase: 'pending',
      limit: 500,
    });

    fireEvent.click(
      within(pendingList).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await screen.findByText('Nothing waits for a decision'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('list', { name: 'Decided approvals' }),
        ).getByRole('article', {
          name: 'Approval ap-pending',
        }),
      ).toBeInTheDocument(),
    );
  });

  it('filters by org from the URL', async () => {
    const calls: unknown[] = [];
    await renderPage(
      async options => {
        calls.push(options);
        return { items: [], resourceVersion: '1' };
      },
      undefined,
      '/agents/approvals?namespace=globex',
    );
    expect(
      await screen.findByText('Nothing waits for a decision'),
    ).toBeInTheDocument();
    expect(calls).toContainEqual({
      namespace: 'globex',
      phase: 'pending',
      limit: 500,
    });
    expect(screen.getByText('No decisions yet.')).toBeInTheDocument();
  });

  it('shows the error when approvals cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('forbidden');
    });
    expect(
      await screen.findByText(/Could not list approvals/),
    ).toBeInTheDocument();
  });
});
