import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { AgentApproval } from '@krate/plugin-agents-common';
import {
  artifactFixture,
  DIGEST,
  PATCH,
} from '../../__testUtils__/artifactFixtures';
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

  describe('a write-back approval', () => {
    const writeBackApproval = (
      status: AgentApproval['status'] = {
        state: 'pending',
        approvals: [
          {
            by: 'user:default/alice',
            time: '2026-01-01T10:05:00.000Z',
            reason: 'diff reviewed',
          },
        ],
      },
    ) =>
      approvalFixture('ap-wb', {
        spec: {
          target: 'github pull-request agents/run-1',
          requiredApprovals: 2,
          binding: {
            artifact: 'run-1-1-rounding-fix',
            digest: DIGEST,
            writeBack: 'wb-1',
            target: 'github',
            operation: {
              operation: 'pull-request',
              branch: 'agents/run-1',
              base: 'main',
              title: 'Round to cents',
            },
          },
        },
        status,
      });

    function renderBound(
      approval: AgentApproval,
      artifact = artifactFixture('run-1-1-rounding-fix'),
      decideApproval: AgentsApi['decideApproval'] = async () => approval,
    ) {
      const reads: string[] = [];
      const getResource: AgentsApi['getResource'] = async (
        plural,
        _ns,
        name,
      ) => {
        reads.push(`${plural}/${name}`);
        return artifact as any;
      };
      const getArtifactContent: AgentsApi['getArtifactContent'] = async () =>
        PATCH;
      return {
        reads,
        rendered: renderInTestApp(
          <TestApiProvider
            apis={[
              [
                agentsApiRef,
                { getResource, getArtifactContent, decideApproval },
              ],
            ]}
          >
            <ApprovalCard approval={approval} />
          </TestApiProvider>,
          { mountedRoutes: { '/agents': rootRouteRef } },
        ),
      };
    }

    it('shows the operation, the exact diff and the approvals so far', async () => {
      const { reads, rendered } = renderBound(writeBackApproval());
      await rendered;
      const bound = screen.getByRole('group', { name: 'Write-back' });
      expect(bound).toHaveTextContent(
        'github: pull request agents/run-1 → main',
      );
      expect(bound).toHaveTextContent('Branchagents/run-1');
      expect(bound).toHaveTextContent('Basemain');
      expect(bound).toHaveTextContent('TitleRound to cents');
      expect(
        screen.getByRole('link', { name: 'run-1-1-rounding-fix' }),
      ).toHaveAttribute(
        'href',
        '/agents/runs/run-1?namespace=acme#artifact-run-1-1-rounding-fix',
      );
      expect(
        screen.getByRole('group', { name: 'Approvals 1 of 2' }),
      ).toHaveTextContent(
        /1 of 2 approvals.*user:default\/alice.*diff reviewed/,
      );
      expect(
        await screen.findByRole('region', { name: 'rounding-fix.patch' }),
      ).toHaveTextContent(
        '+exports.toCents = amount => Math.round(amount * 100);',
      );
      expect(reads).toContain('agentreviewartifacts/run-1-1-rounding-fix');
      expect(screen.getByRole('button', { name: 'Approve' })).toBeEnabled();
    });

    it('cannot be approved once voided, and says why', async () => {
      const { rendered } = renderBound(
        writeBackApproval({
          state: 'void',
          reason:
            'artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
        }),
      );
      await rendered;
      expect(screen.getByLabelText('State void')).toHaveTextContent(
        'void — the diff changed',
      );
      const approve = screen.getByRole('button', { name: 'Approve' });
      expect(approve).toBeDisabled();
      expect(
        screen.getAllByText(
          'void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
        ).length,
      ).toBeGreaterThan(0);
      expect(
        screen.getByRole('group', { name: 'Approvals 0 of 2' }),
      ).toHaveTextContent('0 of 2 approvals');
    });

    it('cannot be approved while its artifact is superseded', async () => {
      const { rendered } = renderBound(
        writeBackApproval(),
        artifactFixture('run-1-1-rounding-fix', {
          status: {
            state: 'superseded',
            supersededBy: 'run-1-1-rounding-fix-2',
          },
        }),
      );
      await rendered;
      expect(
        await screen.findByText(
          'void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
        ),
      ).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
      expect(screen.getByRole('button', { name: 'Reject' })).toBeEnabled();
    });

    it('shows the server’s 409 when the diff moved on meanwhile', async () => {
      const error = await refusal(
        409,
        'void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2',
      );
      const { reads, rendered } = renderBound(
        writeBackApproval(),
        undefined,
        async () => {
          throw error;
        },
      );
      await rendered;
      await screen.findByRole('region', { name: 'rounding-fix.patch' });
      const readsBefore = reads.length;
      fireEvent.click(screen.getByRole('button', { name: 'Approve' }));
      expect(
        await screen.findByText(
          /void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-rounding-fix-2/,
        ),
      ).toBeInTheDocument();
      await waitFor(() => expect(reads.length).toBeGreaterThan(readsBefore));
    });
  });
});
