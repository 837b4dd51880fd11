import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { WorkspacesPage } from './WorkspacesPage';

function renderPage(workspaceAction: AgentsApi['workspaceAction']) {
  const api: Partial<AgentsApi> = {
    listWorkspaces: async () => ({
      items: [workspaceFixture('ws-1')],
      resourceVersion: '1',
    }),
    workspaceAction,
  };
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <Routes>
        <Route
          path="/agents/workspaces"
          element={<WorkspacesPage pollIntervalMs={60_000} />}
        />
        <Route
          path="/agents/workspaces/:namespace/:name"
          element={<p>workspace page</p>}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: ['/agents/workspaces'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

const type = (dialog: HTMLElement, label: RegExp, value: string) =>
  fireEvent.change(within(dialog).getByLabelText(label), {
    target: { value },
  });

const created: AgentsApi['workspaceAction'] = async (_name, request) => ({
  action: {
    action: request.action,
    actor: 'user:development/guest',
    time: '2026-01-01T10:00:00.000Z',
    result: 'succeeded',
  },
  status: { state: 'active' },
});

describe('NewWorkspaceDialog', () => {
  it('provisions a workspace after showing what it will do, then opens it', async () => {
    const workspaceAction = jest.fn(created);
    await renderPage(workspaceAction);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Provision workspace' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Provision workspace' });
    expect(within(dialog).getByLabelText(/^Org/)).toHaveValue('acme');

    fireEvent.click(within(dialog).getByRole('button', { name: 'Provision' }));
    expect(within(dialog).getAllByText('Required')).toHaveLength(2);
    expect(workspaceAction).not.toHaveBeenCalled();

    type(dialog, /^Name/, 'ws-9');
    type(dialog, /^Repository \*/, 'acme/payments-api');
    type(dialog, /^Ref/, 'main');
    fireEvent.mouseDown(
      within(dialog).getByRole('button', { name: /^Trust tier/ }),
    );
    fireEvent.click(await screen.findByRole('option', { name: 'trusted' }));
    type(dialog, /^Owner$/, '42');

    expect(within(dialog).getByLabelText('What will happen')).toHaveTextContent(
      /Creates AgentWorkspace acme\/ws-9 and a new git worktree of acme\/payments-api: .* from main/,
    );
    expect(within(dialog).getByLabelText('Request body')).toHaveTextContent(
      '"action": "provision"',
    );
    expect(
      within(dialog).getByText('POST /api/agents/workspaces/ws-9/action'),
    ).toBeInTheDocument();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Provision' }));
    expect(await screen.findByText('workspace page')).toBeInTheDocument();
    expect(workspaceAction).toHaveBeenCalledWith('ws-9', {
      namespace: 'acme',
      action: 'provision',
      repository: 'acme/payments-api',
      ref: 'main',
      trustTier: 'trusted',
      ownership: { kind: 'manual', ref: '42' },
    });
  });

  it('shows why the server refused to link a path, and stays open', async () => {
    const workspaceAction = jest.fn(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message:
                'link-existing: /w/a belongs to AgentWorkspace acme/ws-1 (trust tier trusted); untrusted work needs an isolated workspace and never reuses another',
            },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'content-type': 'application/json' } },
        ) as any,
      );
    });
    await renderPage(workspaceAction);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Link existing path' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Link existing path' });
    type(dialog, /^Name/, 'ws-9');
    type(dialog, /^Repository \*/, 'acme/payments-api');
    type(dialog, /^Worktree path/, '/w/a');
    expect(within(dialog).getByLabelText('What will happen')).toHaveTextContent(
      'Creates AgentWorkspace acme/ws-9 for the existing worktree at /w/a; nothing on disk changes.',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Link' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'link-existing refused (409): link-existing: /w/a belongs to AgentWorkspace acme/ws-1',
    );
    expect(workspaceAction).toHaveBeenCalledWith(
      'ws-9',
      expect.objectContaining({ action: 'link-existing', path: '/w/a' }),
    );
    await waitFor(() =>
      expect(
        within(dialog).getByRole('button', { name: 'Link' }),
      ).not.toBeDisabled(),
    );
    expect(screen.queryByText('workspace page')).not.toBeInTheDocument();
  });
});
