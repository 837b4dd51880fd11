import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { AgentsApi, agentsApiRef, WorkspaceListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { WorkspacesPage } from './WorkspacesPage';

function renderPage(
  listWorkspaces: AgentsApi['listWorkspaces'],
  route = '/agents/workspaces',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listWorkspaces }]]}>
      <WorkspacesPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const inventory = [
  workspaceFixture('ws-clean'),
  workspaceFixture('ws-dirty', {
    spec: { ownership: { kind: 'manual' }, trustTier: 'untrusted' },
    status: {
      state: 'idle',
      git: {
        branch: 'agents/ws-dirty',
        dirty: true,
        uncommittedCount: 2,
        ahead: 1,
      },
    },
  }),
  workspaceFixture('ws-conflicted', {
    status: {
      state: 'active',
      git: { rebaseInProgress: true, conflictingFiles: ['src/a.js'] },
    },
  }),
];

describe('WorkspacesPage', () => {
  it('lists workspaces with state, owner, branch, git state and trust tier', async () => {
    await renderPage(async () => ({ items: inventory, resourceVersion: '1' }));
    const table = await screen.findByRole('table', {
      name: 'Agent workspaces',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(
      within(rows[1]).getByRole('link', { name: 'ws-clean' }),
    ).toHaveAttribute('href', '/agents/workspaces/acme/ws-clean');
    expect(within(rows[1]).getByText('dispatch-run run-1')).toBeInTheDocument();
    expect(within(rows[1]).getByText('clean')).toBeInTheDocument();
    expect(within(rows[2]).getByLabelText('State idle')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('dirty (2) · 1 ahead'),
    ).toBeInTheDocument();
    expect(within(rows[2]).getByText('manual')).toBeInTheDocument();
    expect(within(rows[2]).getByText('untrusted')).toBeInTheDocument();
    expect(within(rows[3]).getByText('conflicted')).toBeInTheDocument();
  });

  it('keeps short values whole in a narrow table and scrolls the table sideways instead', async () => {
    await renderPage(async () => ({ items: inventory, resourceVersion: '1' }));
    const table = await screen.findByRole('table', {
      name: 'Agent workspaces',
    });
    const dirty = within(table).getByRole('row', { name: /ws-dirty/ });
    for (const text of ['dirty (2) · 1 ahead', 'untrusted']) {
      expect(within(dirty).getByText(text)).toHaveStyle({
        whiteSpace: 'nowrap',
      });
    }
    expect(table.parentElement).toHaveStyle({ overflowX: 'auto' });
  });

  it('filters by state through the API and by attention flags locally', async () => {
    const calls: (WorkspaceListFilters | undefined)[] = [];
    await renderPage(async filters => {
      calls.push(filters);
      return { items: inventory, resourceVersion: '1' };
    }, '/agents/workspaces?state=active&attention=conflicted');
    const table = await screen.findByRole('table');
    expect(calls[0]).toEqual({ state: 'active', limit: 500 });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).getByText('ws-conflicted')).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: /^Attention/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'dirty' }));
    await waitFor(() =>
      expect(
        within(screen.getByRole('table')).getByText('ws-dirty'),
      ).toBeInTheDocument(),
    );
    expect(screen.queryByText('ws-conflicted')).not.toBeInTheDocument();
  });

  it('lists the workspaces of the org and repository in the URL', async () => {
    const filters: WorkspaceListFilters[] = [];
    await renderPage(async f => {
      filters.push(f ?? {});
      return { items: [workspaceFixture('ws-clean')], resourceVersion: '1' };
    }, '/agents/workspaces?namespace=acme&repository=acme%2Fpayments-api');
    expect(
      await screen.findByRole('link', { name: 'ws-clean' }),
    ).toBeInTheDocument();
    expect(filters[0]).toEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
      state: undefined,
      limit: 500,
    });
    expect(screen.getByRole('button', { name: /^Org/ })).toHaveTextContent(
      'acme',
    );
    expect(
      screen.getByText('Repository acme/payments-api'),
    ).toBeInTheDocument();
  });

  it('says when there are no workspaces', async () => {
    await renderPage(async () => ({ items: [], resourceVersion: '1' }));
    expect(await screen.findByText('No workspaces yet')).toBeInTheDocument();
  });

  it('says when no workspace matches the filters', async () => {
    await renderPage(
      async () => ({
        items: [workspaceFixture('ws-clean')],
        resourceVersion: '1',
      }),
      '/agents/workspaces?attention=missing',
    );
    expect(
      await screen.findByText('No workspaces match these filters'),
    ).toBeInTheDocument();
  });

  it('shows the error when workspaces cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('permission denied');
    });
    expect(
      await screen.findByText(/Could not list workspaces/),
    ).toBeInTheDocument();
  });
});
