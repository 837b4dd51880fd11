import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { AGENTS_SIGNAL_CHANNEL } from '@krate/plugin-agents-common';
import {
  artifactFixture,
  DIGEST,
  PATCH,
} from '../../__testUtils__/artifactFixtures';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
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

  it('shows what a write-back approval approves and voids it when the diff moved on', async () => {
    const signals = new FakeSignalApi();
    let artifact = artifactFixture('run-1-1-rounding-fix');
    const approval = approvalFixture('run-1-ap-wb1', {
      spec: {
        requiredApprovals: 2,
        binding: {
          artifact: 'run-1-1-rounding-fix',
          digest: DIGEST,
          writeBack: 'wb-1',
          target: 'github',
          operation: {
            operation: 'pull-request',
            branch: 'agents/run-1',
            title: 'Round to cents',
          },
        },
      },
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            agentsApiRef,
            {
              listApprovals: async options => ({
                items: [approval],
                resourceVersion: options?.phase ? '1' : '2',
              }),
              listStacks,
              getResource: async () => artifact as any,
              getArtifactContent: async () => PATCH,
            },
          ],
          [signalApiRef, signals],
        ]}
      >
        <ApprovalsPage pollIntervalMs={60_000} />
      </TestApiProvider>,
      {
        routeEntries: ['/agents/approvals'],
        mountedRoutes: { '/agents': rootRouteRef },
      },
    );
    const card = within(
      await screen.findByRole('list', { name: 'Pending approvals' }),
    ).getByRole('article', { name: 'Approval run-1-ap-wb1' });
    expect(
      await within(card).findByRole('region', { name: 'rounding-fix.patch' }),
    ).toHaveTextContent('+exports.toCents');
    expect(
      within(card).getByRole('group', { name: 'Approvals 0 of 2' }),
    ).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Approve' })).toBeEnabled();

    artifact = artifactFixture('run-1-1-rounding-fix', {
      status: { state: 'superseded', supersededBy: 'run-1-1-rounding-fix-2' },
    });
    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentReviewArtifact',
      namespace: 'acme',
      name: 'run-1-1-rounding-fix',
      type: 'MODIFIED',
    });
    expect(
      await within(card).findByText(
        'void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
      ),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Approve' }),
    ).toBeDisabled();
  });
});
