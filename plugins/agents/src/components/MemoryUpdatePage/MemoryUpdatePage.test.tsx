import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import { MEMORY_COMMIT, MEMORY_HEAD } from '../../__testUtils__/memoryFixtures';
import { memoryUpdateFixture } from '../../__testUtils__/memoryUpdateFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef, MemoryUpdateReview } from '../../api';
import { rootRouteRef } from '../../routes';
import { MemoryUpdatePage } from './MemoryUpdatePage';

// The page renders several cards and a diff; on a loaded CI machine finds take longer.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

function renderPage(
  api: Partial<AgentsApi>,
  { denied = [] as string[], org = 'acme' } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(denied), [agentsApiRef, api]]}>
      <Routes>
        <Route
          path="/agents/memory/updates/:org/:name"
          element={<MemoryUpdatePage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [`/agents/memory/updates/${org}/ledger-runbook`],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const refusal = async (status: number, message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'Refused',
        headers: { 'content-type': 'application/json' },
      },
    ),
  );

/** A backend holding one proposal, recording the reviews and merges it is asked for. */
function backendWith(initial: AgentMemoryUpdate) {
  const state = { update: initial };
  const reviews: MemoryUpdateReview[] = [];
  const merges: string[] = [];
  const api: Partial<AgentsApi> = {
    getMemoryUpdate: async () => state.update,
    reviewMemoryUpdate: async (_org, _name, review) => {
      reviews.push(review);
      state.update = memoryUpdateFixture('ledger-runbook', {
        status: {
          phase: review.decision === 'approve' ? 'Approved' : 'Rejected',
          reviews: [
            {
              reviewer: 'user:default/carol',
              decision: review.decision === 'approve' ? 'approved' : 'rejected',
              comment: review.comment,
              time: '2026-12-02T10:00:00Z',
            },
          ],
        },
      });
      return state.update;
    },
    mergeMemoryUpdate: async (org, name) => {
      merges.push(`${org}/${name}`);
      state.update = memoryUpdateFixture('ledger-runbook', {
        status: {
          phase: 'Merged',
          mergedCommit: MEMORY_HEAD,
          mergedBy: 'user:default/carol',
          mergeTime: '2026-12-02T11:00:00Z',
        },
      });
      return state.update;
    },
  };
  return { api, reviews, merges, state };
}

describe('MemoryUpdatePage', () => {
  it('shows the proposal, its source run, base commit, validation issues and diff', async () => {
    await renderPage(
      backendWith(
        memoryUpdateFixture('ledger-runbook', {
          spec: {
            title: 'Ledger runbook',
            description: 'Learned while fixing the rounding bug.',
            source: { kind: 'run', run: 'run-7', attempt: 'run-7-1' },
          },
          status: {
            phase: 'Proposed',
            validation: {
              valid: false,
              commit: MEMORY_COMMIT,
              issues: [
                {
                  file: 'runbooks/ledger.md',
                  field: 'edges.documented-in[0]',
                  message: 'no record runbooks/nowhere',
                  line: 3,
                },
              ],
            },
          },
        }),
      ).api,
    );
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Ledger runbook' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'run-7' })).toHaveAttribute(
      'href',
      '/agents/runs/run-7?namespace=acme',
    );
    expect(screen.getByTitle(MEMORY_COMMIT)).toHaveTextContent(
      MEMORY_COMMIT.slice(0, 7),
    );
    expect(
      screen.getByText('Learned while fixing the rounding bug.'),
    ).toBeInTheDocument();
    const issues = screen.getByRole('table', { name: 'Validation issues' });
    expect(within(issues).getAllByRole('row')[1]).toHaveTextContent(
      'runbooks/ledger.md:3edges.documented-in[0]no record runbooks/nowhere',
    );
    const diff = screen.getByRole('region', { name: 'Proposed patch' });
    expect(diff).toHaveTextContent('runbooks/ledger.md (new file)');
    expect(diff).toHaveTextContent('+Restart the ledger.');
    expect(screen.getByText('No reviews yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Merge' })).toBeNull();
  });

  it('approves with a comment, then merges and links the merged commit', async () => {
    const backend = backendWith(memoryUpdateFixture('ledger-runbook'));
    await renderPage(backend.api);
    fireEvent.change(await screen.findByLabelText('Comment'), {
      target: { value: 'Matches the runbook' },
    });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    fireEvent.click(approve);
    const merge = await screen.findByRole('button', { name: 'Merge' });
    expect(backend.reviews).toEqual([
      { decision: 'approve', comment: 'Matches the runbook' },
    ]);
    expect(
      screen.getByText('approved by user:default/carol'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();

    fireEvent.click(merge);
    const merged = await screen.findByLabelText('Merged commit');
    expect(backend.merges).toEqual(['acme/ledger-runbook']);
    expect(within(merged).getByRole('link')).toHaveAttribute(
      'href',
      `/agents/memory?namespace=acme&ref=${MEMORY_HEAD}`,
    );
    expect(merged).toHaveTextContent(MEMORY_HEAD.slice(0, 7));
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
  });

  it('rejects without a comment', async () => {
    const backend = backendWith(memoryUpdateFixture('ledger-runbook'));
    await renderPage(backend.api);
    const reject = await screen.findByRole('button', { name: 'Reject' });
    await waitFor(() => expect(reject).toBeEnabled());
    fireEvent.click(reject);
    expect(
      await screen.findByText('rejected by user:default/carol'),
    ).toBeInTheDocument();
    expect(backend.reviews).toEqual([{ decision: 'reject' }]);
  });

  it('shows the backend’s refusal of a self-approval and of a merge that conflicts', async () => {
    const backend = backendWith(memoryUpdateFixture('ledger-runbook'));
    backend.api.reviewMemoryUpdate = async () => {
      throw await refusal(403, 'you may not approve your own proposal');
    };
    await renderPage(backend.api);
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    fireEvent.click(approve);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not allowed: you may not approve your own proposal',
    );
  });

  it('shows a 409 on merge as a conflict', async () => {
    const backend = backendWith(
      memoryUpdateFixture('ledger-runbook', { status: { phase: 'Approved' } }),
    );
    backend.api.mergeMemoryUpdate = async () => {
      throw await refusal(409, 'the patch no longer applies to main');
    };
    await renderPage(backend.api);
    const merge = await screen.findByRole('button', { name: 'Merge' });
    await waitFor(() => expect(merge).toBeEnabled());
    fireEvent.click(merge);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Conflict: the patch no longer applies to main',
    );
  });

  it('disables review actions without agents.memory.review', async () => {
    // Another org than the other tests: permission decisions are cached per resource.
    const update = memoryUpdateFixture('ledger-runbook');
    update.metadata.namespace = 'globex';
    await renderPage(backendWith(update).api, {
      org: 'globex',
      denied: ['agents.memory.review'],
    });
    const approve = await screen.findByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
    expect(
      screen.getByText(/You may not review updates to the memory of globex/),
    ).toBeInTheDocument();
  });

  it('says when there is no such proposal', async () => {
    await renderPage({
      getMemoryUpdate: async () => {
        throw await refusal(404, 'no memory update ledger-runbook');
      },
    });
    expect(
      await screen.findByText('No memory update ledger-runbook in acme'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Memory updates' }),
    ).toHaveAttribute('href', '/agents/memory/updates?namespace=acme');
  });
});
