import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { stackFixture } from '../../__testUtils__/fixtures';
import { sessionFixture } from '../../__testUtils__/sessionFixtures';
import { AgentsApi, agentsApiRef, SessionListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { SessionsPage } from './SessionsPage';

function renderPage(
  listSessions: AgentsApi['listSessions'],
  options: { route?: string } = {},
) {
  const api: Partial<AgentsApi> = {
    listSessions,
    listStacks: async () => ({
      items: [
        stackFixture('scripted-demo', 'Ready'),
        stackFixture('other', 'Ready', '', 'globex'),
      ],
      resourceVersion: '1',
    }),
    listCapabilities: async () => ({
      items: [
        { id: 'scripted', displayName: 'Scripted', capabilities: {} },
        { id: 'claude-code', displayName: 'Claude Code', capabilities: {} },
      ],
    }),
  };
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <SessionsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/sessions'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

describe('SessionsPage', () => {
  it('shows one row per runtime session, newest activity first, linking to its page and runs', async () => {
    await renderPage(async () => ({
      items: [
        sessionFixture('run-a-2', {
          created: '2026-01-01T10:05:00.000Z',
          status: { state: 'active', sessionId: 'sess-a' },
        }),
        sessionFixture('run-b-1', {
          created: '2026-01-01T10:03:00.000Z',
          spec: { runtime: 'claude-code', repository: 'acme/checkout-web' },
          status: { state: 'idle', sessionId: 'sess-b' },
        }),
        sessionFixture('run-a-1', {
          created: '2026-01-01T10:00:00.000Z',
          status: { state: 'idle', sessionId: 'sess-a' },
        }),
      ],
      resourceVersion: '9',
    }));

    const table = await screen.findByRole('table', { name: 'Agent sessions' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(
      within(rows[1]).getByLabelText('Session state active'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'sess-a' }),
    ).toHaveAttribute('href', '/agents/sessions/acme/run-a-1-session');
    expect(within(rows[1]).getByText('acme · 2 attempts')).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'run-a' }),
    ).toHaveAttribute('href', '/agents/runs/run-a?namespace=acme');
    expect(within(rows[1]).getByText('1 run')).toBeInTheDocument();
    expect(within(rows[2]).getByText('claude-code')).toBeInTheDocument();
    expect(within(rows[2]).getByText('acme/checkout-web')).toBeInTheDocument();
    expect(
      within(rows[2]).getByLabelText('Session state idle'),
    ).toBeInTheDocument();
  });

  it('passes the org and filters to the API and changes them from the filter bar', async () => {
    const calls: SessionListFilters[] = [];
    await renderPage(
      async filters => {
        calls.push(filters ?? {});
        return { items: [sessionFixture('run-a-1')], resourceVersion: '1' };
      },
      { route: '/agents/sessions?namespace=acme&state=idle' },
    );
    await screen.findByRole('table');
    expect(calls[0]).toEqual({
      namespace: 'acme',
      state: 'idle',
      limit: 25,
      continue: undefined,
    });

    fireEvent.mouseDown(screen.getByRole('button', { name: /^Runtime/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'claude-code' }));
    await waitFor(() =>
      expect(calls[calls.length - 1]).toMatchObject({
        namespace: 'acme',
        state: 'idle',
        runtime: 'claude-code',
      }),
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: /^Stack/ }));
    expect(
      await screen.findByRole('option', { name: 'scripted-demo' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('option', { name: 'other' }),
    ).not.toBeInTheDocument();
  });

  it('pages with the continue token and back', async () => {
    const calls: SessionListFilters[] = [];
    await renderPage(async filters => {
      calls.push(filters ?? {});
      return filters?.continue
        ? {
            items: [
              sessionFixture('run-old-1', { status: { sessionId: 'old' } }),
            ],
            resourceVersion: '1',
          }
        : {
            items: [
              sessionFixture('run-new-1', { status: { sessionId: 'new' } }),
            ],
            continue: 'tok-2',
            resourceVersion: '1',
          };
    });
    expect(
      await screen.findByRole('link', { name: 'new' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(
      await screen.findByRole('link', { name: 'old' }),
    ).toBeInTheDocument();
    expect(calls[calls.length - 1].continue).toBe('tok-2');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
  });

  it('shows progress while the first page loads', async () => {
    await renderPage(() => new Promise(() => {}));
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says when there are no sessions yet', async () => {
    await renderPage(async () => ({ items: [], resourceVersion: '1' }));
    expect(await screen.findByText('No sessions yet')).toBeInTheDocument();
  });

  it('says when no session matches the filters', async () => {
    await renderPage(async () => ({ items: [], resourceVersion: '1' }), {
      route: '/agents/sessions?runtime=claude-code',
    });
    expect(
      await screen.findByText('No sessions match these filters'),
    ).toBeInTheDocument();
  });

  it('shows the error when sessions cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('permission denied');
    });
    expect(
      await screen.findByText(/Could not list sessions/),
    ).toBeInTheDocument();
  });
});
