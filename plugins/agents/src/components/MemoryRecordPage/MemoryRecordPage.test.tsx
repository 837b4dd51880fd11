import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import {
  memoryApi,
  memoryRecordFixture,
} from '../../__testUtils__/memoryFixtures';
import { AgentsApi, agentsApiRef, MemoryAt } from '../../api';
import { rootRouteRef } from '../../routes';
import { MemoryRecordPage } from './MemoryRecordPage';

function renderPage(overrides: Partial<AgentsApi>, route: string) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, memoryApi(overrides)]]}>
      <MemoryRecordPage />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

// Rendering Markdown loads its parser on first use, which is slow on a busy machine.
jest.setTimeout(30_000);

const AT = '2026-12-01T10:30:00Z';
const PAYMENTS_API = `/agents/memory/records?org=acme&id=services%2Fpayments-api&at=${encodeURIComponent(
  AT,
)}`;

async function notFound(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

describe('MemoryRecordPage', () => {
  it('shows the record’s front matter, citation and file at the chosen point, from a search link', async () => {
    const calls: [string, string, MemoryAt | undefined][] = [];
    await renderPage(
      {
        getMemoryRecord: async (org, id, at) => {
          calls.push([org, id, at]);
          return memoryRecordFixture();
        },
      },
      PAYMENTS_API,
    );
    expect(
      await screen.findByRole('heading', { name: 'payments-api', level: 1 }),
    ).toBeInTheDocument();
    expect(calls).toEqual([['acme', 'services/payments-api', { at: AT }]]);
    expect(screen.getByText('service')).toBeInTheDocument();
    expect(screen.getByText('group:default/payments')).toBeInTheDocument();
    expect(screen.getByText('acme/payments-api')).toBeInTheDocument();
    expect(screen.getByText('org')).toBeInTheDocument();
    expect(screen.getByText('2026-11-02')).toBeInTheDocument();
    expect(screen.getByLabelText('Citation')).toHaveTextContent(
      'services/payments-api.md@1a2b3c4',
    );
    expect(screen.getByLabelText('Resolved commit')).toHaveTextContent(
      'Memory at 1a2b3c4, 2026-12-01 10:00 UTC',
    );
    // The prose is rendered; the file as written is a tab away.
    expect(
      screen.getByLabelText('Rendered services/payments-api.md'),
    ).toHaveTextContent('payments-api');
    expect(
      screen.queryByLabelText('Content of services/payments-api.md'),
    ).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'Source' }));
    expect(
      screen.getByLabelText('Content of services/payments-api.md'),
    ).toHaveTextContent('kind: service');
    expect(
      screen.getByText('No issues: the record follows the ontology.'),
    ).toBeInTheDocument();
  });

  it('renders links to other records as links to their pages at the same point in time', async () => {
    const fixture = memoryRecordFixture();
    await renderPage(
      {
        getMemoryRecord: async () => ({
          ...fixture,
          record: {
            ...fixture.record,
            body: '\n# payments-api\n\nWrites to the [ledger](ledger.md) with an [idempotency key](../glossary/idempotency-key.md#why); see [the docs](https://example.test/docs).\n',
          },
        }),
      },
      PAYMENTS_API,
    );
    const rendered = await screen.findByLabelText(
      'Rendered services/payments-api.md',
    );
    const at = encodeURIComponent(AT);
    expect(
      within(rendered).getByRole('link', { name: 'ledger' }),
    ).toHaveAttribute(
      'href',
      `/agents/memory/records?namespace=acme&at=${at}&id=services%2Fledger`,
    );
    expect(
      within(rendered).getByRole('link', { name: 'idempotency key' }),
    ).toHaveAttribute(
      'href',
      `/agents/memory/records?namespace=acme&at=${at}&id=glossary%2Fidempotency-key#why`,
    );
    expect(
      within(rendered).getByRole('link', { name: /^the docs/ }),
    ).toHaveAttribute('href', 'https://example.test/docs');
  });

  it('links each edge to the other record, keeping the org and point in time', async () => {
    await renderPage(
      { getMemoryRecord: async () => memoryRecordFixture() },
      PAYMENTS_API,
    );
    const dependsOn = await screen.findByRole('list', {
      name: 'depends-on edges',
    });
    expect(
      within(dependsOn).getByRole('link', { name: 'services/ledger' }),
    ).toHaveAttribute(
      'href',
      `/agents/memory/records?namespace=acme&at=${encodeURIComponent(
        AT,
      )}&id=services%2Fledger`,
    );
    const linksTo = screen.getByRole('list', { name: 'links-to edges' });
    expect(
      within(linksTo).getByRole('link', { name: 'glossary/idempotency-key' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'documented-in edges' }),
    ).toHaveTextContent('runbooks/payments-api-rollback');
    expect(screen.getByRole('link', { name: /Show in graph/ })).toHaveAttribute(
      'href',
      `/agents/memory/graph?namespace=acme&at=${encodeURIComponent(
        AT,
      )}&around=services%2Fpayments-api`,
    );
  });

  it('lists the record’s issues with field and message', async () => {
    await renderPage(
      {
        getMemoryRecord: async () =>
          memoryRecordFixture({
            issues: [
              {
                file: 'services/payments-api.md',
                field: 'reviewed',
                message: 'must be an ISO date',
              },
            ],
          }),
      },
      PAYMENTS_API,
    );
    const table = await screen.findByRole('table', { name: 'Record issues' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent(
      'services/payments-api.mdreviewedmust be an ISO date',
    );
  });

  it('says the record is not there for a record missing or hidden at this point', async () => {
    await renderPage(
      {
        getMemoryRecord: async () => {
          throw await notFound('id: no record incidents/secret at 1a2b3c4');
        },
      },
      '/agents/memory/records?namespace=acme&id=incidents%2Fsecret',
    );
    expect(
      await screen.findByText('No record incidents/secret here'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Search the memory' }),
    ).toHaveAttribute('href', '/agents/memory/search?namespace=acme');
  });

  it('shows why a record could not be read', async () => {
    await renderPage(
      {
        getMemoryRecord: async () => {
          throw new Error('tag: no tag named v9');
        },
      },
      '/agents/memory/records?namespace=acme&id=services%2Fledger&tag=v9',
    );
    expect(
      await screen.findByText(/Could not read the record services\/ledger/),
    ).toBeInTheDocument();
  });

  it('asks for a record when none is named', async () => {
    await renderPage({}, '/agents/memory/records?namespace=acme');
    expect(await screen.findByText('No record chosen')).toBeInTheDocument();
  });
});
