import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import {
  memoryApi,
  memorySearchFixture,
} from '../../__testUtils__/memoryFixtures';
import {
  AgentsApi,
  agentsApiRef,
  MemoryAt,
  MemorySearchQuery,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { MemorySearchPage } from './MemorySearchPage';

type Call = [string, MemorySearchQuery, MemoryAt | undefined];

function renderPage(
  overrides: Partial<AgentsApi>,
  route = '/agents/memory/search?namespace=acme',
) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, memoryApi(overrides)]]}>
      <MemorySearchPage />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

function recording(answer = memorySearchFixture()) {
  const calls: Call[] = [];
  const searchMemory: AgentsApi['searchMemory'] = async (org, search, at) => {
    calls.push([org, search, at]);
    return answer;
  };
  return { calls, searchMemory };
}

describe('MemorySearchPage', () => {
  it('shows each match as an excerpt with its record and its citation at the commit', async () => {
    const { calls, searchMemory } = recording();
    await renderPage(
      { searchMemory },
      '/agents/memory/search?namespace=acme&ref=main&q=ledger',
    );
    const results = await screen.findByRole('list', { name: 'Search results' });
    const [service, ontology] = within(results).getAllByRole('listitem');

    expect(calls).toEqual([
      [
        'acme',
        {
          q: 'ledger',
          regex: false,
          ignoreCase: false,
          path: undefined,
          kinds: undefined,
        },
        { ref: 'main' },
      ],
    ]);
    expect(
      within(service).getByText(
        'Takes card payments and records them in the [ledger](ledger.md).',
      ),
    ).toBeInTheDocument();
    expect(
      within(service).getByText('services/payments-api.md@1a2b3c4#L14'),
    ).toBeInTheDocument();
    expect(within(service).getByText('service')).toBeInTheDocument();
    expect(
      within(service).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/records?namespace=acme&ref=main&id=services%2Fpayments-api',
    );
    expect(
      within(ontology).getByText('ontology.yaml@1a2b3c4#L3'),
    ).toBeInTheDocument();
    expect(within(ontology).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Resolved commit')).toHaveTextContent(
      'Memory at 1a2b3c4, 2026-12-01 10:00 UTC',
    );
    expect(screen.getByLabelText('Search summary')).toHaveTextContent(
      /^2 results$/,
    );
  });

  it('says how many results were withheld and that the list was cut', async () => {
    const { searchMemory } = recording(
      memorySearchFixture({ withheld: 3, truncated: true }),
    );
    await renderPage(
      { searchMemory },
      '/agents/memory/search?namespace=acme&q=payments',
    );
    const summary = await screen.findByLabelText('Search summary');
    expect(summary).toHaveTextContent('3 results withheld');
    expect(summary).toHaveTextContent('results cut');
  });

  it('still says what was withheld when nothing else matched', async () => {
    const { searchMemory } = recording(
      memorySearchFixture({ results: [], withheld: 2 }),
    );
    await renderPage(
      { searchMemory },
      '/agents/memory/search?namespace=acme&q=timeouts',
    );
    expect(await screen.findByText('No matches')).toBeInTheDocument();
    expect(screen.getByLabelText('Search summary')).toHaveTextContent(
      '2 results withheld',
    );
  });

  it('searches with the options of the form and the ontology’s kinds', async () => {
    const { calls, searchMemory } = recording();
    await renderPage({ searchMemory });
    expect(await screen.findByText('Search the memory')).toBeInTheDocument();
    expect(await screen.findByLabelText('Resolved commit')).toHaveTextContent(
      'Memory at 1a2b3c4, 2026-12-01 10:00 UTC',
    );
    expect(calls).toEqual([]);

    fireEvent.change(screen.getByRole('textbox', { name: /^Text/ }), {
      target: { value: 'pay.*api' },
    });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Regex' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Ignore case' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Path prefix' }), {
      target: { value: 'services/' },
    });
    const kinds = screen.getByRole('group', { name: 'Record kinds' });
    fireEvent.click(
      await within(kinds).findByRole('button', { name: 'service' }),
    );
    fireEvent.click(within(kinds).getByRole('button', { name: 'decision' }));
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await screen.findByRole('list', { name: 'Search results' });
    expect(calls).toEqual([
      [
        'acme',
        {
          q: 'pay.*api',
          regex: true,
          ignoreCase: true,
          path: 'services/',
          kinds: ['service', 'decision'],
        },
        {},
      ],
    ]);
    expect(screen.getByRole('textbox', { name: /^Pattern/ })).toHaveValue(
      'pay.*api',
    );
  });

  it('shows the server’s reason for refusing a search', async () => {
    await renderPage(
      {
        searchMemory: async () => {
          throw new Error('q: not a valid regular expression');
        },
      },
      '/agents/memory/search?namespace=acme&q=(&regex=true',
    );
    expect(
      await screen.findByText(/Could not search the memory of acme/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/q: not a valid regular expression/).length,
    ).toBeGreaterThan(0);
  });
});
