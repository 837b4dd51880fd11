import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { memoryApi } from '../../__testUtils__/memoryFixtures';
import { memoryUpdateFixture } from '../../__testUtils__/memoryUpdateFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  AgentsApi,
  agentsApiRef,
  MemoryUpdateListFilters,
  MemoryUpdateProposal,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { MemoryUpdatesPage } from './MemoryUpdatesPage';

// Each page renders the memory frame and a dialog; on a loaded CI machine finds take longer.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

const UPDATES = [
  memoryUpdateFixture('from-run', {
    spec: {
      title: 'What run-7 learned',
      source: { kind: 'run', run: 'run-7', attempt: 'run-7-1' },
      proposedBy: 'user:default/bob',
      files: [
        { path: 'services/ledger.md', change: 'modified' },
        { path: 'runbooks/ledger.md', change: 'added' },
      ],
    },
    status: {
      phase: 'Proposed',
      validation: {
        valid: false,
        commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
        issues: [{ file: 'services/ledger.md', field: 'owner', message: 'x' }],
      },
    },
  }),
  memoryUpdateFixture('approved-one', {
    spec: { title: 'Approved one' },
    status: { phase: 'Approved' },
  }),
  memoryUpdateFixture('merged-one', {
    spec: { title: 'Merged one' },
    status: { phase: 'Merged' },
  }),
];

function renderPage(
  overrides: Partial<AgentsApi>,
  {
    route = '/agents/memory/updates?namespace=acme',
    denied = [] as string[],
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(denied), [agentsApiRef, memoryApi(overrides)]]}
    >
      <MemoryUpdatesPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('MemoryUpdatesPage', () => {
  it('lists the open proposals with source, validation and the withheld count', async () => {
    const calls: [string, MemoryUpdateListFilters | undefined][] = [];
    await renderPage({
      listMemoryUpdates: async (org, filters) => {
        calls.push([org, filters]);
        return { items: UPDATES, withheld: 2 };
      },
    });
    const table = await screen.findByRole('table', { name: 'Memory updates' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('What run-7 learned');
    expect(rows[1]).toHaveTextContent('Proposed');
    expect(rows[1]).toHaveTextContent('user:default/bob');
    expect(rows[1]).toHaveTextContent('1 issue');
    expect(
      within(rows[1]).getByRole('link', { name: 'run-7' }),
    ).toHaveAttribute('href', '/agents/runs/run-7?namespace=acme');
    expect(
      within(rows[1]).getByRole('link', { name: 'What run-7 learned' }),
    ).toHaveAttribute('href', '/agents/memory/updates/acme/from-run');
    expect(rows[2]).toHaveTextContent('Approved one');
    expect(rows[2]).toHaveTextContent('ok');
    expect(screen.queryByText('Merged one')).toBeNull();
    expect(screen.getByLabelText('Withheld proposals')).toHaveTextContent(
      '2 proposals hidden: they touch records you may not see.',
    );
    expect(calls).toEqual([['acme', { phase: undefined, limit: 100 }]]);
    expect(screen.getByText('Updates')).toHaveAttribute('aria-current', 'page');
  });

  it('filters by one phase through the list route, and shows all', async () => {
    const calls: (string | undefined)[] = [];
    await renderPage(
      {
        listMemoryUpdates: async (_org, filters) => {
          calls.push(filters?.phase);
          return {
            items: UPDATES.filter(
              u => !filters?.phase || u.status?.phase === filters.phase,
            ),
            withheld: 0,
          };
        },
      },
      { route: '/agents/memory/updates?namespace=acme&phase=Merged' },
    );
    expect(await screen.findByText('Merged one')).toBeInTheDocument();
    expect(screen.queryByText('Approved one')).toBeNull();
    fireEvent.mouseDown(screen.getByRole('button', { name: /Phase/ }));
    fireEvent.click(screen.getByRole('option', { name: 'All' }));
    expect(await screen.findByText('Approved one')).toBeInTheDocument();
    expect(screen.getByText('Merged one')).toBeInTheDocument();
    expect(calls).toEqual(['Merged', undefined]);
  });

  it('proposes files to write and delete, then links the new proposal', async () => {
    const proposals: MemoryUpdateProposal[] = [];
    let listed = 0;
    await renderPage({
      listMemoryUpdates: async () => {
        listed++;
        return { items: [], withheld: 0 };
      },
      proposeMemoryUpdate: async proposal => {
        proposals.push(proposal);
        return memoryUpdateFixture('new-one', {
          spec: { title: proposal.title },
        });
      },
    });
    expect(
      await screen.findByText('No memory updates match this filter'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Propose update' }));
    const form = await screen.findByRole('form', {
      name: 'Propose a memory update',
    });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Ledger runbook' },
    });
    const first = within(form).getByRole('group', { name: 'File 1' });
    fireEvent.change(within(first).getByLabelText('Path'), {
      target: { value: 'runbooks/ledger.md' },
    });
    fireEvent.change(within(first).getByLabelText('Markdown content'), {
      target: { value: '# Ledger runbook\n' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Add a file' }));
    const second = within(form).getByRole('group', { name: 'File 2' });
    fireEvent.change(within(second).getByLabelText('Path'), {
      target: { value: 'runbooks/old.md' },
    });
    fireEvent.click(within(second).getByLabelText('Delete this file'));
    expect(within(second).queryByLabelText('Markdown content')).toBeNull();
    fireEvent.click(within(form).getByRole('button', { name: 'Propose' }));

    expect(await screen.findByText(/it waits for review/)).toBeInTheDocument();
    // The dialog hides the page until its closing transition ends.
    expect(
      await screen.findByRole('link', { name: 'Ledger runbook' }),
    ).toHaveAttribute('href', '/agents/memory/updates/acme/new-one');
    expect(proposals).toEqual([
      {
        org: 'acme',
        title: 'Ledger runbook',
        changes: [
          { path: 'runbooks/ledger.md', content: '# Ledger runbook\n' },
          { path: 'runbooks/old.md', content: null },
        ],
      },
    ]);
    await waitFor(() => expect(listed).toBe(2));
  });

  it('shows the backend’s refusal of a proposal in the dialog', async () => {
    await renderPage({
      listMemoryUpdates: async () => ({ items: [], withheld: 0 }),
      proposeMemoryUpdate: async () => {
        throw new Error('changes[0].path: leaves the repository');
      },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Propose update' }),
    );
    const form = await screen.findByRole('form', {
      name: 'Propose a memory update',
    });
    fireEvent.change(within(form).getByLabelText(/Title/), {
      target: { value: 'Escape' },
    });
    fireEvent.change(within(form).getByLabelText('Path'), {
      target: { value: '../etc/passwd' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Propose' }));
    expect(
      await within(form).findByText('changes[0].path: leaves the repository'),
    ).toBeInTheDocument();
  });

  it('disables proposing without agents.memory.propose', async () => {
    await renderPage(
      { listMemoryUpdates: async () => ({ items: UPDATES, withheld: 0 }) },
      {
        // Another org than the other tests: permission decisions are cached per resource.
        route: '/agents/memory/updates?namespace=globex',
        denied: ['agents.memory.propose'],
      },
    );
    await screen.findByRole('table', { name: 'Memory updates' });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Propose update' }),
      ).toBeDisabled(),
    );
  });

  it('says why the list could not be read', async () => {
    await renderPage({
      listMemoryUpdates: async () => {
        throw new Error('org: no memory');
      },
    });
    expect(
      await screen.findByText(/Could not list the memory updates of acme/),
    ).toBeInTheDocument();
  });
});
