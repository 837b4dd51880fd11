import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  artifactFixture,
  DIGEST,
  PATCH,
} from '../../__testUtils__/artifactFixtures';
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

  it('keeps a write-back approval pending until enough approvers approved', async () => {
    let approvals: { by: string; time: string }[] = [];
    const approval = () =>
      approvalFixture('run-1-ap-wb1', {
        spec: {
          requiredApprovals: 2,
          binding: {
            artifact: 'run-1-1-rounding-fix',
            digest: DIGEST,
            writeBack: 'wb-1',
            target: 'github',
            operation: { operation: 'branch', branch: 'agents/run-1' },
          },
        },
        status: { state: 'pending', approvals },
      });
    const decideApproval: AgentsApi['decideApproval'] = async () => {
      approvals = [
        { by: 'user:development/guest', time: '2026-01-01T10:06:00.000Z' },
      ];
      return approval();
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            agentsApiRef,
            {
              listApprovals: async () => ({
                items: [approval()],
                resourceVersion: '1',
              }),
              decideApproval,
              getResource: async () =>
                artifactFixture('run-1-1-rounding-fix') as any,
              getArtifactContent: async () => PATCH,
            },
          ],
        ]}
      >
        <RunApprovalsPanel
          run="run-1"
          namespace="acme"
          pollIntervalMs={60_000}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    expect(
      await screen.findByRole('group', { name: 'Approvals 0 of 2' }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const progress = await screen.findByRole('group', {
      name: 'Approvals 1 of 2',
    });
    expect(progress).toHaveTextContent('user:development/guest');
    expect(screen.getByLabelText('State pending')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
  });
});
