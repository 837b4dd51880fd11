import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import {
  MEMORY_COMMIT,
  MEMORY_HEAD,
  memoryApi,
  memoryRecordFixture,
  memoryStatusFixture,
} from '../../__testUtils__/memoryFixtures';
import { staleRecordFixture } from '../../__testUtils__/memoryUpdateFixtures';
import { AgentsApi, agentsApiRef, MemoryAt } from '../../api';
import { rootRouteRef } from '../../routes';
import { MemoryOverviewPage } from './MemoryOverviewPage';

function renderPage(
  overrides: Partial<AgentsApi>,
  route = '/agents/memory?namespace=acme',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, memoryApi(overrides)]]}>
      <MemoryOverviewPage />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('MemoryOverviewPage', () => {
  it('shows the commit read, index freshness, records by kind, the ontology and denied queries', async () => {
    const calls: [string, MemoryAt | undefined][] = [];
    await renderPage(
      {
        getMemoryStatus: async (org, at) => {
          calls.push([org, at]);
          return memoryStatusFixture({ deniedQueries: 3 });
        },
      },
      '/agents/memory?namespace=acme&tag=v1',
    );
    expect(await screen.findByLabelText('Resolved commit')).toHaveTextContent(
      'Memory at 1a2b3c4, 2026-12-01 10:00 UTC (from main)',
    );
    expect(calls).toEqual([['acme', { tag: 'v1' }]]);
    expect(screen.getByText('fresh')).toBeInTheDocument();
    expect(screen.getByLabelText('Denied queries')).toHaveTextContent('3');
    expect(
      screen.getByText(/^Valid: every record follows/),
    ).toBeInTheDocument();

    const counts = screen.getByRole('table', { name: 'Records by kind' });
    const service = within(counts).getByRole('row', { name: /service/ });
    expect(within(service).getByText('2')).toBeInTheDocument();
    expect(
      within(service).getByRole('link', { name: 'service' }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/graph?namespace=acme&tag=v1&kind=service',
    );
    expect(screen.getByRole('link', { name: 'Search' })).toHaveAttribute(
      'href',
      '/agents/memory/search?namespace=acme&tag=v1',
    );
    expect(screen.getByRole('link', { name: 'Graph' })).toHaveAttribute(
      'href',
      '/agents/memory/graph?namespace=acme&tag=v1',
    );
  });

  it('counts pending updates by phase and lists stale records', async () => {
    await renderPage({
      getMemoryStatus: async () =>
        memoryStatusFixture({
          pendingUpdates: { proposed: 3, approved: 1, conflict: 0 },
          stale: [staleRecordFixture],
        }),
    });
    const pending = await screen.findByRole('table', {
      name: 'Pending updates',
    });
    const proposed = within(pending).getByRole('row', { name: /Proposed/ });
    expect(proposed).toHaveTextContent('Proposed3');
    expect(within(proposed).getByRole('link')).toHaveAttribute(
      'href',
      '/agents/memory/updates?namespace=acme&phase=Proposed',
    );
    expect(
      within(pending).getByRole('row', { name: /Approved/ }),
    ).toHaveTextContent('Approved1');
    const stale = screen.getByRole('table', { name: 'Stale records' });
    const row = within(stale).getAllByRole('row')[1];
    expect(row).toHaveTextContent('services/payments-api');
    expect(row).toHaveTextContent('2026-11-02');
    expect(row).toHaveTextContent('acme/payments-api/src/server.js');
    expect(row).toHaveTextContent('abcdef0');
    expect(
      within(row).getByRole('link', { name: 'services/payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/records?namespace=acme&id=services%2Fpayments-api',
    );
  });

  it('says when a backend reports neither stale records nor pending updates', async () => {
    await renderPage({});
    expect(
      await screen.findByText('This backend does not report stale records.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('This backend does not count pending updates.'),
    ).toBeInTheDocument();
  });

  it('says when no record is stale', async () => {
    await renderPage({
      getMemoryStatus: async () =>
        memoryStatusFixture({
          stale: [],
          pendingUpdates: { proposed: 0, approved: 0, conflict: 0 },
        }),
    });
    expect(await screen.findByText(/^No stale records/)).toBeInTheDocument();
  });

  it('says the index is behind the head and lists every ontology issue', async () => {
    await renderPage({
      getMemoryStatus: async () =>
        memoryStatusFixture({
          head: MEMORY_HEAD,
          index: { commit: MEMORY_COMMIT, fresh: false, filesRead: 2, ms: 3 },
          ontology: {
            valid: false,
            nodeKinds: ['service'],
            edgeKinds: ['depends-on'],
            issues: [
              {
                file: 'services/ledger.md',
                field: 'edges.depends-on[0]',
                message: 'no record services/nowhere',
              },
              {
                file: 'ontology.yaml',
                field: 'nodeKinds',
                message: 'bad indentation',
                line: 7,
              },
            ],
          },
        }),
    });
    expect(await screen.findByText('behind head')).toBeInTheDocument();
    expect(screen.getByText(MEMORY_HEAD.slice(0, 7))).toBeInTheDocument();
    const issues = screen.getByRole('table', { name: 'Ontology issues' });
    const rows = within(issues).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent(
      'services/ledger.mdedges.depends-on[0]no record services/nowhere',
    );
    expect(rows[2]).toHaveTextContent(
      'ontology.yaml:7nodeKindsbad indentation',
    );
  });

  it('opens the first org with memory when none is chosen', async () => {
    const orgs: string[] = [];
    await renderPage(
      {
        getMemoryStatus: async org => {
          orgs.push(org);
          return memoryStatusFixture();
        },
      },
      '/agents/memory',
    );
    expect(await screen.findByLabelText('Resolved commit')).toBeInTheDocument();
    expect(orgs).toEqual(['acme']);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /^Org/ })).toHaveTextContent(
        'acme',
      ),
    );
  });

  it('says when the chosen org has no memory and offers those that do', async () => {
    await renderPage({}, '/agents/memory?namespace=initech');
    expect(
      await screen.findByText('initech has no memory'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Memory of globex' }),
    ).toHaveAttribute('href', '/agents/memory?namespace=globex');
  });

  it('says when no org has memory', async () => {
    await renderPage(
      { listMemoryOrgs: async () => ({ items: [] }) },
      '/agents/memory',
    );
    expect(await screen.findByText('No memory to show')).toBeInTheDocument();
  });

  it('says when there are no records at the commit', async () => {
    await renderPage({
      getMemoryStatus: async () =>
        memoryStatusFixture({ records: 0, recordsByKind: {} }),
    });
    expect(
      await screen.findByText('No records at this commit'),
    ).toBeInTheDocument();
  });

  it('shows the server’s reason when the memory cannot be read', async () => {
    await renderPage({
      getMemoryStatus: async () => {
        throw new Error('at: not an ISO time with a time zone');
      },
    });
    expect(
      await screen.findByText(/Could not read the memory of acme/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/at: not an ISO time with a time zone/).length,
    ).toBeGreaterThan(0);
  });

  it('renders MEMORY.md, the root page, at the same point, its links opening their records', async () => {
    const reads: [string, string, MemoryAt | undefined][] = [];
    const fixture = memoryRecordFixture();
    await renderPage(
      {
        getMemoryRecord: async (org, id, at) => {
          reads.push([org, id, at]);
          return {
            ...fixture,
            record: {
              ...fixture.record,
              path: 'MEMORY.md',
              id: 'MEMORY',
              kind: 'document',
              body: '# The acme company brain\n\nStart with [payments-api](services/payments-api.md).\n',
            },
          };
        },
      },
      '/agents/memory?namespace=acme&tag=v1',
    );
    const root = await screen.findByLabelText('Rendered MEMORY.md');
    expect(reads).toEqual([['acme', 'MEMORY', { tag: 'v1' }]]);
    expect(
      within(root).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/records?namespace=acme&tag=v1&id=services%2Fpayments-api',
    );
  });

  it('says so when the memory has no MEMORY.md at that commit', async () => {
    await renderPage({
      getMemoryRecord: async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'no record MEMORY' },
              response: { statusCode: 404 },
            }),
            {
              status: 404,
              statusText: 'Not Found',
              headers: { 'content-type': 'application/json' },
            },
          ) as any,
        );
      },
    });
    expect(
      await screen.findByText(/No MEMORY.md at this commit/),
    ).toBeInTheDocument();
  });
});
