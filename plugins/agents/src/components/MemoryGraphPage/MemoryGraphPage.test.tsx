import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  memoryApi,
  memoryGraphFixture,
} from '../../__testUtils__/memoryFixtures';
import { stubReactFlowDom } from '../../__testUtils__/stubReactFlowDom';
import {
  AgentsApi,
  agentsApiRef,
  MemoryAt,
  MemoryGraph,
  MemoryGraphQuery,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { MemoryGraphPage } from './MemoryGraphPage';

// Each new graph mounts a new React Flow, which is slow on a busy machine.
jest.setTimeout(30_000);

type Call = [string, MemoryGraphQuery | undefined, MemoryAt | undefined];

let restoreDom: () => void;
beforeAll(() => {
  restoreDom = stubReactFlowDom();
});
afterAll(() => restoreDom());

async function renderPage(
  graph: MemoryGraph | Error = memoryGraphFixture(),
  route = '/agents/memory/graph?namespace=acme',
) {
  const calls: Call[] = [];
  const getMemoryGraph: AgentsApi['getMemoryGraph'] = async (
    org,
    query,
    at,
  ) => {
    calls.push([org, query, at]);
    if (graph instanceof Error) throw graph;
    return graph;
  };
  await renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, memoryApi({ getMemoryGraph })]]}>
      <MemoryGraphPage />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
  return calls;
}

/** A drawn node by its accessible name, once React Flow has measured and shown it. */
const findNode = async (name: string) =>
  within(
    await screen.findByRole('figure', { name: 'Memory graph' }),
  ).findByRole('group', { name });

describe('MemoryGraphPage', () => {
  it('draws every record as a node coloured by kind and every edge labelled with its kind', async () => {
    const calls = await renderPage(
      memoryGraphFixture(),
      '/agents/memory/graph?namespace=acme&ref=main',
    );
    const team = await findNode('Payments team (team)');
    expect(calls[0]).toEqual([
      'acme',
      { kinds: undefined, around: undefined, depth: undefined },
      { ref: 'main' },
    ]);
    expect(team).toHaveTextContent('Payments team');
    expect(await findNode('payments-api (service)')).toHaveTextContent(
      'payments-api',
    );
    const ledger = await findNode('ledger (service)');
    expect(ledger).toHaveTextContent('ledger');
    // The ontology lists team, service, …: the first two colours of the palette.
    expect(team).toHaveStyle({ borderLeft: '10px solid #4e79a7' });
    expect(ledger).toHaveStyle({ borderLeft: '10px solid #f28e2b' });

    expect(
      await findNode('teams/payments owns services/payments-api'),
    ).toHaveTextContent('owns');
    expect(
      await findNode('services/payments-api depends-on services/ledger'),
    ).toHaveTextContent('depends-on');
    expect(screen.getByLabelText('Graph summary')).toHaveTextContent(
      /^3 records, 2 edges$/,
    );
    expect(screen.getByLabelText('Resolved commit')).toHaveTextContent(
      'Memory at 1a2b3c4',
    );
  });

  it('says how many records were withheld', async () => {
    await renderPage(memoryGraphFixture({ withheld: 2 }));
    expect(await screen.findByLabelText('Graph summary')).toHaveTextContent(
      '2 records withheld',
    );
  });

  it('filters by the ontology’s node kinds through the API', async () => {
    const calls = await renderPage();
    const kinds = await screen.findByRole('group', { name: 'Record kinds' });
    fireEvent.click(
      await within(kinds).findByRole('button', { name: 'service' }),
    );
    await waitFor(() =>
      expect(calls[calls.length - 1][1]).toEqual({
        kinds: ['service'],
        around: undefined,
        depth: undefined,
      }),
    );
    expect(
      within(kinds).getByRole('button', { name: 'service' }),
    ).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows the clicked record in the side panel and redraws its neighbourhood on request', async () => {
    const calls = await renderPage(
      memoryGraphFixture(),
      '/agents/memory/graph?namespace=acme&tag=v1',
    );
    const node = await findNode('payments-api (service)');
    expect(
      screen.getByText(/Select a node to see its kind/),
    ).toBeInTheDocument();

    fireEvent.click(node);
    const panel = await screen.findByLabelText('Selected record');
    expect(panel).toHaveTextContent('service');
    expect(panel).toHaveTextContent('group:default/payments');
    expect(panel).toHaveTextContent('acme/payments-api');
    expect(
      within(panel).getByRole('link', {
        name: 'services/payments-api.md@1a2b3c4',
      }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/records?namespace=acme&tag=v1&id=services%2Fpayments-api',
    );

    fireEvent.click(screen.getByRole('button', { name: 'Show neighbourhood' }));
    await waitFor(() =>
      expect(calls[calls.length - 1]).toEqual([
        'acme',
        { kinds: undefined, around: 'services/payments-api', depth: undefined },
        { tag: 'v1' },
      ]),
    );
    expect(
      await screen.findByText('Around services/payments-api'),
    ).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: /^Depth/ }));
    fireEvent.click(await screen.findByRole('option', { name: '2' }));
    await waitFor(() =>
      expect(calls[calls.length - 1][1]).toEqual({
        kinds: undefined,
        around: 'services/payments-api',
        depth: 2,
      }),
    );
  });

  it('says when there is nothing to draw', async () => {
    await renderPage(memoryGraphFixture({ nodes: [], edges: [] }));
    expect(await screen.findByText('No records to draw')).toBeInTheDocument();
  });

  it('shows why the graph could not be read', async () => {
    await renderPage(new Error('around: no record services/gone at 1a2b3c4'));
    expect(
      await screen.findByText(/Could not read the graph of acme/),
    ).toBeInTheDocument();
  });
});
