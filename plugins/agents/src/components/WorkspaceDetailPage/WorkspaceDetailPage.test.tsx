import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { AgentWorkspace, WORKSPACE_ACTIONS } from '@krate/plugin-agents-common';
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

const noLinks: AgentsApi['listResources'] = async () => ({
  items: [],
  metadata: { resourceVersion: '1' },
});

/** The server's answer: every action allowed unless `refused` gives its reason. */
function availability(refused: Record<string, string> = {}) {
  return async () => ({
    items: WORKSPACE_ACTIONS.map(action => ({
      action,
      permission: 'agents.workspace.action',
      allowed: !refused[action],
      ...(refused[action] ? { reason: refused[action] } : {}),
    })),
  });
}

const enabledButton = (name: string) =>
  waitFor(() => {
    const button = screen.getByRole('button', { name });
    expect(button).toBeEnabled();
    return button;
  });

function renderPage(
  workspace: AgentWorkspace | (() => AgentWorkspace),
  workspaceAction: AgentsApi['workspaceAction'],
  more: Partial<AgentsApi> = {},
) {
  const read = typeof workspace === 'function' ? workspace : () => workspace;
  const api: Partial<AgentsApi> = {
    getWorkspace: async () => read(),
    workspaceAction,
    listResources: noLinks,
    getWorkspaceActions: availability(),
    ...more,
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

// Slow to render when every package's tests run at once.
jest.setTimeout(30_000);

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
    const crumbs = screen.getByLabelText('Workspace breadcrumbs');
    expect(
      within(crumbs).getByRole('link', { name: 'acme/payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/workspaces?namespace=acme&repository=acme%2Fpayments-api',
    );
    expect(screen.getByText('0123456789ab')).toBeInTheDocument();
    expect(screen.getByText('origin/main')).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'run-2' })[0]).toHaveAttribute(
      'href',
      '/agents/runs/run-2',
    );
    expect(screen.getByText('session-9')).toBeInTheDocument();
    const surfaces = screen.getByRole('table', { name: 'Runtime surfaces' });
    expect(
      within(surfaces).getByRole('link', { name: /^http:\/\/localhost:5173/ }),
    ).toHaveAttribute('href', 'http://localhost:5173');
    expect(within(surfaces).getByLabelText('Health ready')).toBeInTheDocument();
    expect(await screen.findByText(/No linked work items/)).toBeInTheDocument();
    expect(screen.getByLabelText('Last action')).toHaveTextContent(
      /pin by user:development\/guest/,
    );
  });

  it('marks a missing workspace and offers recovery and relinking', async () => {
    const workspaceAction = jest.fn(ok);
    await renderPage(
      workspaceFixture('ws-1', {
        status: { state: 'missing', pathMissing: true },
      }),
      workspaceAction,
    );
    expect(await screen.findByText(/Workspace missing/)).toBeInTheDocument();
    const actions = screen.getByRole('group', { name: 'Workspace actions' });
    expect(
      within(actions).getByRole('button', { name: 'Recover' }),
    ).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Relink to path'), {
      target: { value: ' /data/workspaces/acme/moved ' },
    });
    fireEvent.click(await enabledButton('Relink'));
    await waitFor(() =>
      expect(workspaceAction).toHaveBeenCalledWith('ws-1', {
        namespace: 'acme',
        action: 'recover',
        path: '/data/workspaces/acme/moved',
      }),
    );
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
    fireEvent.click(await enabledButton('Pin'));
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
    fireEvent.click(await enabledButton('Clean up'));
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
    fireEvent.click(await enabledButton('Archive'));
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
    fireEvent.click(await enabledButton('Save notes'));
    expect(await screen.findByText('Notes saved.')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Rebase onto'), {
      target: { value: 'origin/main' },
    });
    fireEvent.click(await enabledButton('Start rebase'));
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

  it('disables each action the server refuses, with its reason, and reads them again after an action', async () => {
    const getWorkspaceActions = jest.fn(
      availability({
        cleanup:
          'AgentWorkspace acme/ws-1 is pinned: unpin it before a cleanup',
        'notes-save':
          'You may not notes-save this workspace (agents.workspace.action)',
      }),
    );
    let reads = 0;
    await renderPage(
      () => {
        reads++;
        return workspaceFixture('ws-1', { spec: { pinned: reads > 1 } });
      },
      ok,
      { getWorkspaceActions },
    );
    const pin = await enabledButton('Pin');
    const cleanup = screen.getByRole('button', { name: 'Clean up' });
    expect(cleanup).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save notes' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Notes'), {
      target: { value: 'changed' },
    });
    expect(screen.getByRole('button', { name: 'Save notes' })).toBeDisabled();
    fireEvent.mouseOver(cleanup.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'AgentWorkspace acme/ws-1 is pinned: unpin it before a cleanup',
    );
    expect(getWorkspaceActions).toHaveBeenCalledWith('acme', 'ws-1');

    const calls = getWorkspaceActions.mock.calls.length;
    fireEvent.click(pin);
    expect(await screen.findByRole('button', { name: 'Unpin' })).toBeEnabled();
    await waitFor(() =>
      expect(getWorkspaceActions.mock.calls.length).toBeGreaterThan(calls),
    );
  });

  it('keeps the actions enabled against a backend without the actions route and shows its refusal on click', async () => {
    const requests: WorkspaceActionRequest[] = [];
    await renderPage(
      workspaceFixture('ws-1', { spec: { pinned: true } }),
      async (_name, request) => {
        requests.push(request);
        throw await refusal(409, 'AgentWorkspace acme/ws-1 is pinned');
      },
      {
        getWorkspaceActions: async () => {
          throw await refusal(404, 'Not Found');
        },
      },
    );
    fireEvent.click(await enabledButton('Clean up'));
    expect(
      screen.getByRole('button', { name: 'Unpin', hidden: true }),
    ).toBeEnabled();
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Clean up' }));
    expect(
      await within(dialog).findByText(
        'cleanup refused (409): AgentWorkspace acme/ws-1 is pinned',
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([{ namespace: 'acme', action: 'cleanup' }]);
  });

  it('shows the error when the workspace cannot be read', async () => {
    await renderPage(() => {
      throw new Error('not found');
    }, ok);
    expect(
      await screen.findByText(/Could not read workspace acme\/ws-1/),
    ).toBeInTheDocument();
  });

  it('lists runtime surfaces with kind, port, health and message', async () => {
    await renderPage(
      workspaceFixture('ws-1', {
        status: {
          state: 'active',
          runtimeSurfaces: [
            {
              kind: 'dev-server',
              name: 'vite',
              port: 5173,
              health: 'unavailable',
              message: 'exited with code 1',
            },
          ],
        },
      }),
      ok,
    );
    const surfaces = await screen.findByRole('table', {
      name: 'Runtime surfaces',
    });
    const row = within(surfaces).getAllByRole('row')[1];
    expect(row).toHaveTextContent('dev-server');
    expect(row).toHaveTextContent('vite');
    expect(row).toHaveTextContent('port 5173');
    expect(
      within(row).getByLabelText('Health unavailable'),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent('exited with code 1');
  });

  it('lists linked work items by the workspace label, stale links marked', async () => {
    const listResources = jest.fn<
      ReturnType<AgentsApi['listResources']>,
      Parameters<AgentsApi['listResources']>
    >(async () => ({
      metadata: { resourceVersion: '1' },
      items: [
        linkFixture('link-1', 'issue-42', 'owns'),
        linkFixture('link-2', 'issue-7', 'references'),
      ],
    }));
    const getResource: AgentsApi['getResource'] = async (_p, _ns, name) => {
      if (name === 'issue-7') throw await refusal(404, 'not found');
      return {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'WorkItem',
        metadata: { name, namespace: 'acme' },
        spec: {
          repository: 'acme/payments-api',
          kind: 'issue',
          number: 42,
          title: 'Rounding bug',
          url: 'https://example.com/acme/payments-api/issues/42',
          state: 'open',
          boardColumn: 'In progress',
        },
      };
    };
    await renderPage(workspaceFixture('ws-1'), ok, {
      listResources,
      getResource,
    });

    const list = await screen.findByRole('list', {
      name: 'Linked work items',
    });
    expect(
      within(list).getByRole('link', { name: /^acme\/payments-api#42/ }),
    ).toHaveAttribute(
      'href',
      'https://example.com/acme/payments-api/issues/42',
    );
    expect(list).toHaveTextContent('Rounding bug');
    expect(list).toHaveTextContent('issue · open · In progress');
    expect(list).toHaveTextContent('owns');
    expect(list).toHaveTextContent(
      'issue-7 — the work item is gone (stale link)',
    );
    expect(listResources).toHaveBeenCalledWith('workitemworkspacelinks', {
      namespace: 'acme',
      labelSelector: 'agents.krate.dev/workspace=ws-1',
      limit: 100,
    });
  });
});

function linkFixture(
  name: string,
  workItem: string,
  relation: 'owns' | 'references',
) {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'WorkItemWorkspaceLink',
    metadata: { name, namespace: 'acme' },
    spec: { workItem, workspace: 'ws-1', relation },
  };
}
