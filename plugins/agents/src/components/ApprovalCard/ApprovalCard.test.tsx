import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { approvalFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ApprovalCard } from './ApprovalCard';

async function refusal(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

function renderCard(
  decideApproval: AgentsApi['decideApproval'],
  onDecided = jest.fn(),
) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { decideApproval }]]}>
      <ApprovalCard approval={approvalFixture('ap-1')} onDecided={onDecided} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('ApprovalCard', () => {
  it('shows who asks for what under which policy, and approves with a reason', async () => {
    const calls: unknown[][] = [];
    const onDecided = jest.fn();
    await renderCard(async (...args) => {
      calls.push(args);
      return approvalFixture('ap-1', {
        status: { state: 'approved', decidedBy: 'user:development/guest' },
      });
    }, onDecided);

    expect(screen.getByText('write-back')).toBeInTheDocument();
    expect(
      screen.getByText('pull request on acme/payments-api'),
    ).toBeInTheDocument();
    expect(screen.getByText('AgentToolProfile/sandbox')).toBeInTheDocument();
    expect(screen.getByText('user:development/guest')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'run-1' })).toHaveAttribute(
      'href',
      '/agents/runs/run-1',
    );

    fireEvent.change(screen.getByLabelText('Reason for ap-1'), {
      target: { value: 'looks right' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(calls).toEqual([
      [
        'ap-1',
        { decision: 'approve', reason: 'looks right' },
        { namespace: 'acme' },
      ],
    ]);
  });

  it('shows why the server refused a self-approval', async () => {
    const error = await refusal(
      403,
      'user:development/guest requested this and the stack does not allow self-approval',
    );
    await renderCard(async () => {
      throw error;
    });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText(/Not allowed:/)).toBeInTheDocument();
    expect(
      screen.getByText(/does not allow self-approval/),
    ).toBeInTheDocument();
  });

  it('shows a decision that came too late', async () => {
    const error = await refusal(
      409,
      'AgentApproval acme/ap-1 is already approved',
    );
    await renderCard(async () => {
      throw error;
    });
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText(/No longer pending:/)).toBeInTheDocument();
    expect(screen.getByText(/is already approved/)).toBeInTheDocument();
  });

  it('shows a decided approval without decision buttons', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[agentsApiRef, {}]]}>
        <ApprovalCard
          approval={approvalFixture('ap-2', {
            status: {
              state: 'rejected',
              decidedBy: 'user:default/alice',
              reason: 'wrong branch',
            },
          })}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    expect(
      screen.getByText(/rejected by user:default\/alice.*: wrong branch/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Approve' }),
    ).not.toBeInTheDocument();
  });
});
