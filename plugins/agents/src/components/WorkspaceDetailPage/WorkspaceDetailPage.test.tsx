import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { AgentsApi, agentsApiRef, WorkspaceActionRequest } from '../../api';
import { rootRouteRef } from '../../routes';
import { WorkspaceDetailPage } from './WorkspaceDetailPage';

async function refusal(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

function renderPage(
  workspace: AgentWorkspace | (() => AgentWorkspace),
  workspaceAction: AgentsApi['workspaceAction'],
) {
  const read = typeof workspace === 'function' ? workspace : () => workspace;
  const api: Partial<AgentsApi> = {
    getWorkspace: async () => read(),
    workspaceAction,
  };
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <Routes>
        <Route
          path="/agents/workspaces/:namespace/:name"
          element={<WorkspaceDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/workspaces/acme/ws-1'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const ok: AgentsApi['workspaceAction'] = async (_name, request) => ({
  action: {
    action: request.action,
    actor: 'user:development/guest',
    time: '2026-01-01T10:00:00.000Z',
    result: 'succeeded',
  },
  status: {},
});

describe('WorkspaceDetailPage', () => {
  it('shows git state, linked runs, sessions and runtime surfaces', async () => {
    await renderPage(
      workspaceFixture('ws-1', {
        status: {
          state: 'active',
          git: {
            branch: 'agents/ws-1',
            headSha: '0123456789abcdef',
            trackingBranch: 'origin/main',
            dirty: true,
            uncommittedCount: 4,
            behind: 2,
          },
          runs: ['run-1', 'run-2'],
          activeRuns: ['run-2'],
          activeSessions: ['session-9'],
          runtimeSurfaces: [
            {
              kind: 'preview',
              name: 'preview',
              url: 'http://localhost:5173',
              health: 'ready',
            },
          ],
          lastAction: {
            action: 'pin',
            actor: 'user:development/guest',
            time: '2026-01-01T10:00:00.000Z',
            result: 'succeeded',
          },
        },
      }),
      ok,
    );
    expect(await screen.findByText('dirty (4) · 2 behind')).toBeInTheDocument();
    expect(screen.getByText('0123456789ab')).toBeInTheDocument();
    expect(screen.getByText('origin/main')).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'run-2' })[0]).toHaveAttribute(
      'href',
      '/agents/runs/run-2',
    );
    expect(screen.getByText('session-9')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /http:\/\/localhost:5173/ }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Last action')).toHaveTextContent(
      /pin by user:development\/guest/,
    );
  });

  it('marks a missing workspace and offers recovery', async () => {
    await renderPage(
      workspaceFixture('ws-1', {
        status: { state: 'missing', pathMissing: true },
      }),
      ok,
    );
    expect(await screen.findByText(/Workspace missing/)).toBeInTheDocument();
    const actions = screen.getByRole('group', { name: 'Workspace actions' });
    expect(
      within(actions).getByRole('button', { name: 'Recover' }),
    ).toBeInTheDocument();
  });

  it('pins through the action route and reads the workspace again', async () => {
    const requests: WorkspaceActionRequest[] = [];
    let reads = 0;
    await renderPage(
      () => {
        reads++;
        return workspaceFixture('ws-1', { spec: { pinned: reads > 1 } });
      },
      async (name, request) => {
        expect(name).toBe('ws-1');
        requests.push(request);
        return ok(name, request);
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Pin' }));
    expect(
      await screen.findByRole('button', { name: 'Unpin' }),
    ).toBeInTheDocument();
    expect(requests).toEqual([{ namespace: 'acme', action: 'pin' }]);
  });

  it('confirms a cleanup, then shows the server refusal', async () => {
    const requests: WorkspaceActionRequest[] = [];
    await renderPage(
      workspaceFixture('ws-1', {
        status: { state: 'idle', git: { dirty: true, uncommittedCount: 3 } },
      }),
      async (_name, request) => {
        requests.push(request);
        throw await refusal(
          409,
          'cleanup refused: 3 uncommitted changes; repeat with reviewed: true',
        );
      },
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Clean up' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Clean up AgentWorkspace acme/ws-1?');
    expect(requests).toEqual([]);
    fireEvent.click(within(dialog).getByRole('checkbox'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clean up' }));
    expect(
      await within(dialog).findByText(
        /cleanup refused \(409\): cleanup refused: 3 uncommitted changes/,
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      { namespace: 'acme', action: 'cleanup', reviewed: true },
    ]);
  });

  it('archives only after confirmation and can be backed out of', async () => {
    const requests: WorkspaceActionRequest[] = [];
    await renderPage(workspaceFixture('ws-1'), async (name, request) => {
      requests.push(request);
      return ok(name, request);
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Archive' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Back',
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requests).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Archive' }));
    fireEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Archive',
      }),
    );
    await waitFor(() =>
      expect(requests).toEqual([{ namespace: 'acme', action: 'archive' }]),
    );
  });

  it('saves notes and shows a refused rebase with its reason', async () => {
    const requests: WorkspaceActionRequest[] = [];
    await renderPage(workspaceFixture('ws-1'), async (name, request) => {
      requests.push(request);
      if (request.action === 'rebase-start') {
        throw await refusal(
          403,
          'rebase-start: AgentWorkspacePolicy acme/default does not allow it',
        );
      }
      return ok(name, request);
    });
    fireEvent.change(await screen.findByLabelText('Notes'), {
      target: { value: 'Waiting on review' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save notes' }));
    expect(await screen.findByText('Notes saved.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Rebase onto'), {
      target: { value: 'origin/main' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Start rebase' }));
    expect(
      await screen.findByText(
        /rebase-start refused \(403\): rebase-start: AgentWorkspacePolicy acme\/default does not allow it/,
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      { namespace: 'acme', action: 'notes-save', notes: 'Waiting on review' },
      { namespace: 'acme', action: 'rebase-start', onto: 'origin/main' },
    ]);
  });

  it('shows the error when the workspace cannot be read', async () => {
    await renderPage(() => {
      throw new Error('not found');
    }, ok);
    expect(
      await screen.findByText(/Could not read workspace acme\/ws-1/),
    ).toBeInTheDocument();
  });
});
