import {
  AGENTS_SIGNAL_CHANNEL,
  AgentDispatchRun,
} from '@krate/plugin-agents-common';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { configure, fireEvent, screen, within } from '@testing-library/react';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
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

function apiFor(memory: RunMemory, api: Partial<AgentsApi> = {}) {
  return {
    getRunMemory: async () => memory,
    listMemoryUpdates: async () => ({ items: [], withheld: 0 }),
    ...api,
  };
}

function cardFor(
  memory: RunMemory,
  api: Partial<AgentsApi>,
  options: {
    phase?: NonNullable<AgentDispatchRun['status']>['phase'];
    signals?: FakeSignalApi;
  },
) {
  const run = runFixture('run-7', {
    spec: { memorySnapshot: memory.snapshot! },
    ...(options.phase ? { status: { phase: options.phase } } : {}),
  });
  return (
    <TestApiProvider
      apis={[
        [agentsApiRef, api],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <RunMemoryCard run={run} />
    </TestApiProvider>
  );
}

function renderCard(
  memory: RunMemory,
  api: Partial<AgentsApi> = {},
  options: {
    phase?: NonNullable<AgentDispatchRun['status']>['phase'];
    signals?: FakeSignalApi;
  } = {},
) {
  return renderInTestApp(cardFor(memory, apiFor(memory, api), options), {
    mountedRoutes: { '/agents': rootRouteRef },
  });
}

/** The run's proposal appears only from the second read on, as when the run finishes later. */
function proposedLater() {
  let reads = 0;
  const listMemoryUpdates = jest.fn(async () => {
    reads += 1;
    return {
      items:
        reads < 2
          ? []
          : [
              memoryUpdateFixture('learned', {
                spec: {
                  title: 'What run-7 learned',
                  source: { kind: 'run', run: 'run-7' },
                },
              }),
            ],
      withheld: 0,
    };
  });
  return listMemoryUpdates;
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

  it('shows a proposal the run makes after the card has loaded, when the update is signalled', async () => {
    const signals = new FakeSignalApi();
    const listMemoryUpdates = proposedLater();
    await renderCard(runMemoryFixture(), { listMemoryUpdates }, { signals });
    await screen.findByText(/selected file changed since/);
    expect(listMemoryUpdates).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText('Memory updates of the run')).toBeNull();

    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentMemoryUpdate',
      namespace: 'acme',
      name: 'learned',
    });
    const proposals = await screen.findByLabelText('Memory updates of the run');
    expect(proposals).toHaveTextContent('What run-7 learned');
  });

  it('reads the run’s proposals again when the run’s phase moves', async () => {
    const memory = runMemoryFixture();
    // The same API object across renders, as the app's is: only the phase changes.
    const api = apiFor(memory, { listMemoryUpdates: proposedLater() });
    const { rerender } = await renderInTestApp(
      cardFor(memory, api, { phase: 'Running' }),
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    await screen.findByText(/selected file changed since/);
    expect(api.listMemoryUpdates).toHaveBeenCalledTimes(1);
    expect(screen.queryByLabelText('Memory updates of the run')).toBeNull();

    rerender(cardFor(memory, api, { phase: 'Succeeded' }));
    const proposals = await screen.findByLabelText('Memory updates of the run');
    expect(proposals).toHaveTextContent('What run-7 learned');
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
