import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { runFixture, stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef, RunListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunsPage } from './RunsPage';

function renderPage(
  listRuns: AgentsApi['listRuns'],
  options: { route?: string; pollIntervalMs?: number } = {},
) {
  const listStacks: AgentsApi['listStacks'] = async () => ({
    items: [
      stackFixture('scripted-demo', 'Ready'),
      stackFixture('other', 'Ready', '', 'globex'),
    ],
    resourceVersion: '1',
  });
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listRuns, listStacks }]]}>
      <RunsPage pollIntervalMs={options.pollIntervalMs ?? 60_000} />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/runs'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

describe('RunsPage', () => {
  it('shows runs as CI rows linking to their run pages', async () => {
    await renderPage(async () => ({
      items: [
        runFixture('run-2', {
          status: {
            phase: 'Waiting',
            reason: 'ApprovalBlocked',
            runtime: 'scripted',
            startTime: '2026-01-01T10:00:00.000Z',
            cost: { usd: 0.5, inputTokens: 1000, outputTokens: 20 },
          },
        }),
        runFixture('run-1', {
          spec: { source: { kind: 'rule', name: 'ci-failures' } },
          status: {
            phase: 'Succeeded',
            reason: 'Completed',
            runtime: 'scripted',
            startTime: '2026-01-01T09:00:00.000Z',
            completionTime: '2026-01-01T09:03:04.000Z',
          },
        }),
      ],
      resourceVersion: '9',
    }));

    const table = await screen.findByRole('table', { name: 'Agent runs' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]).getByLabelText('Phase Waiting')).toBeInTheDocument();
    expect(within(rows[1]).getByText('ApprovalBlocked')).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('$0.5000 · 1,000 in / 20 out'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'run-2' }),
    ).toHaveAttribute('href', '/agents/runs/run-2');
    expect(within(rows[2]).getByText('rule ci-failures')).toBeInTheDocument();
    expect(within(rows[2]).getByText('3m 4s')).toBeInTheDocument();
    expect(within(rows[2]).getByText('acme/payments-api')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'New run' })).toHaveAttribute(
      'href',
      '/agents/runs/new',
    );
  });

  it('passes the URL filters to the API and changes them from the filter bar', async () => {
    const calls: RunListFilters[] = [];
    await renderPage(
      async filters => {
        calls.push(filters ?? {});
        return { items: [runFixture('run-1')], resourceVersion: '1' };
      },
      { route: '/agents/runs?namespace=acme&repository=acme/payments-api' },
    );
    await screen.findByRole('table');
    expect(calls[0]).toEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
      limit: 25,
      continue: undefined,
    });

    fireEvent.mouseDown(screen.getByRole('button', { name: /^Phase/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Failed' }));
    await waitFor(() =>
      expect(calls[calls.length - 1]).toMatchObject({
        namespace: 'acme',
        repository: 'acme/payments-api',
        phase: 'Failed',
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
    const calls: RunListFilters[] = [];
    await renderPage(async filters => {
      calls.push(filters ?? {});
      return filters?.continue
        ? { items: [runFixture('run-old')], resourceVersion: '1' }
        : {
            items: [runFixture('run-new')],
            continue: 'tok-2',
            resourceVersion: '1',
          };
    });
    expect(await screen.findByText('run-new')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Older' }));
    expect(await screen.findByText('run-old')).toBeInTheDocument();
    expect(calls[calls.length - 1].continue).toBe('tok-2');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Newer' }));
    expect(await screen.findByText('run-new')).toBeInTheDocument();
  });

  it('updates a run status live and marks the list stale when a refresh fails', async () => {
    let reads = 0;
    // The second read waits until the first state was seen: a slow render must not skip it.
    let runningSeen!: () => void;
    const seen = new Promise<void>(resolve => {
      runningSeen = resolve;
    });
    await renderPage(
      async () => {
        reads++;
        if (reads === 2) await seen;
        if (reads >= 3) throw new Error('backend restarting');
        return {
          items: [
            runFixture('run-1', {
              status: { phase: reads === 1 ? 'Running' : 'Succeeded' },
            }),
          ],
          resourceVersion: String(reads),
        };
      },
      { pollIntervalMs: 250 },
    );
    expect(await screen.findByLabelText('Phase Running')).toBeInTheDocument();
    runningSeen();
    expect(await screen.findByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(
      await screen.findByText(
        /Live updates of runs paused: backend restarting/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Phase Succeeded')).toBeInTheDocument();
  });

  it('offers a first run when there is none', async () => {
    await renderPage(async () => ({ items: [], resourceVersion: '1' }));
    expect(await screen.findByText('No runs yet')).toBeInTheDocument();
  });

  it('says when no run matches the filters', async () => {
    await renderPage(async () => ({ items: [], resourceVersion: '1' }), {
      route: '/agents/runs?phase=Failed',
    });
    expect(
      await screen.findByText('No runs match these filters'),
    ).toBeInTheDocument();
  });

  it('shows the error when runs cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('permission denied');
    });
    expect(await screen.findByText(/Could not list runs/)).toBeInTheDocument();
  });
});
