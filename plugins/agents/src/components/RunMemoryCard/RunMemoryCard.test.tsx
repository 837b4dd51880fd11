import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { configure, fireEvent, screen, within } from '@testing-library/react';
import { runFixture } from '../../__testUtils__/fixtures';
import { MEMORY_COMMIT, MEMORY_HEAD } from '../../__testUtils__/memoryFixtures';
import {
  memoryUpdateFixture,
  runMemoryFixture,
  staleRecordFixture,
} from '../../__testUtils__/memoryUpdateFixtures';
import { AgentsApi, agentsApiRef, RunMemory } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunMemoryCard } from './RunMemoryCard';

jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

function renderCard(memory: RunMemory, api: Partial<AgentsApi> = {}) {
  const run = runFixture('run-7', {
    spec: { memorySnapshot: memory.snapshot! },
  });
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          agentsApiRef,
          {
            getRunMemory: async () => memory,
            listMemoryUpdates: async () => ({ items: [], withheld: 0 }),
            ...api,
          },
        ],
      ]}
    >
      <RunMemoryCard run={run} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('RunMemoryCard', () => {
  it('shows the snapshot, what each query selected, the parts and the diff against current', async () => {
    await renderCard(runMemoryFixture());
    expect(
      await screen.findByText(/selected file changed since/),
    ).toHaveTextContent(
      `${MEMORY_HEAD.slice(0, 7)}, 1 selected file changed since`,
    );
    const snapshot = screen.getByLabelText('Snapshot commit');
    expect(within(snapshot).getByRole('link')).toHaveAttribute(
      'href',
      `/agents/memory?namespace=acme&ref=${MEMORY_COMMIT}`,
    );
    expect(
      screen.getByText(/from at 2026-12-01T00:00:00Z/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 results the requester may not see/),
    ).toBeInTheDocument();

    const search = screen.getByRole('group', { name: 'Memory query 1' });
    expect(search).toHaveTextContent('search "ledger" (ignore case)');
    expect(search).toHaveTextContent('services/payments-api.md@1a2b3c4#L14');
    expect(
      screen.getByRole('group', { name: 'Memory query 2' }),
    ).toHaveTextContent(
      'record services/ledgerservices/ledger.md@1a2b3c4 services/ledger',
    );

    fireEvent.click(
      screen.getByRole('button', { name: /services\/ledger.md@1a2b3c4/ }),
    );
    expect(
      screen.getByLabelText('Memory services/ledger.md'),
    ).toHaveTextContent('Keeps the books.');
    expect(screen.getByLabelText('Changed memory files')).toHaveTextContent(
      'services/ledger.md',
    );
    expect(
      screen.getByRole('region', { name: 'Memory diff against current' }),
    ).toHaveTextContent('+Keeps the books, twice.');
  });

  it('says the memory is unchanged, warns about stale records and links the run’s proposals', async () => {
    await renderCard(
      runMemoryFixture({
        current: { commit: MEMORY_COMMIT },
        changed: [],
        diff: '',
        stale: [staleRecordFixture],
      }),
      {
        listMemoryUpdates: async () => ({
          items: [
            memoryUpdateFixture('learned', {
              spec: {
                title: 'What run-7 learned',
                source: { kind: 'run', run: 'run-7' },
              },
            }),
            memoryUpdateFixture('other', {
              spec: {
                title: 'Another run',
                source: { kind: 'run', run: 'run-8' },
              },
            }),
          ],
          withheld: 0,
        }),
      },
    );
    expect(
      await screen.findByText(/unchanged since the run/),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Changed memory files')).toBeNull();
    expect(screen.getByLabelText('Stale memory')).toHaveTextContent(
      'services/payments-api',
    );
    const proposals = await screen.findByLabelText('Memory updates of the run');
    expect(
      within(proposals).getByRole('link', { name: 'What run-7 learned' }),
    ).toHaveAttribute('href', '/agents/memory/updates/acme/learned');
    expect(within(proposals).queryByText('Another run')).toBeNull();
  });

  it('keeps the recorded snapshot when the memory route fails', async () => {
    await renderCard(runMemoryFixture(), {
      getRunMemory: async () => {
        throw new Error('org: no memory');
      },
    });
    expect(
      await screen.findByText(
        /Could not read the run’s memory: org: no memory/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Snapshot commit')).toHaveTextContent(
      MEMORY_COMMIT.slice(0, 7),
    );
    expect(
      screen.getByRole('group', { name: 'Memory query 1' }),
    ).toHaveTextContent('query 1services/payments-api.md@1a2b3c4#L14');
  });
});
