import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { DispatchRunRequest } from '@krate/plugin-agents-common';
import { runFixture, stackFixture } from '../../__testUtils__/fixtures';
import {
  MEMORY_COMMIT,
  memoryStatusFixture,
  resolvedFixture,
} from '../../__testUtils__/memoryFixtures';
import { staleRecordFixture } from '../../__testUtils__/memoryUpdateFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  AgentsApi,
  agentsApiRef,
  MemoryAt,
  MemoryPreviewRequest,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { DispatchComposer } from './DispatchComposer';

// The composer renders several cards and the memory panel; finds take longer on a loaded machine.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

/** A backend for the composer, recording dispatches, status reads and previews. */
function backend() {
  const requests: DispatchRunRequest[] = [];
  const statusReads: [string, MemoryAt | undefined][] = [];
  const previews: MemoryPreviewRequest[] = [];
  const remembering = stackFixture('remembering', 'Ready');
  remembering.spec.memorySource = {
    queries: [{ type: 'graph', around: 'services/ledger', depth: 2 }],
  };
  const api: Partial<AgentsApi> = {
    listStacks: async () => ({
      items: [stackFixture('scripted-demo', 'Ready'), remembering],
      resourceVersion: '1',
    }),
    listResources: async () => ({
      items: [],
      metadata: { resourceVersion: '1' },
    }),
    listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
    listMemoryOrgs: async () => ({
      items: [{ org: 'acme' }, { org: 'globex' }],
    }),
    getMemoryStatus: async (org, at) => {
      statusReads.push([org, at]);
      return memoryStatusFixture({
        org,
        resolved: at?.at
          ? { ...resolvedFixture, ref: `main@${at.at}` }
          : resolvedFixture,
      });
    },
    previewMemory: async request => {
      previews.push(request);
      return {
        resolved: resolvedFixture,
        results: request.queries.map(query => ({
          query,
          items:
            query.type === 'search'
              ? [
                  {
                    path: 'services/payments-api.md',
                    id: 'services/payments-api',
                    kind: 'service',
                    title: 'payments-api',
                    line: 14,
                    excerpt: 'Takes card payments',
                  },
                ]
              : [
                  {
                    path: 'services/ledger.md',
                    id: 'services/ledger',
                    kind: 'service',
                    title: 'ledger',
                  },
                ],
          withheld: query.type === 'search' ? 2 : 0,
        })),
        stale: [staleRecordFixture],
      };
    },
    createRun: async request => {
      requests.push(request);
      return runFixture('run-memory');
    },
  };
  return { api, requests, statusReads, previews };
}

async function renderComposer(api: Partial<AgentsApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <DispatchComposer embedded namespace="acme" onDispatched={() => {}} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
  await screen.findByRole('radiogroup', { name: 'Stack' });
  // The memory settings are behind an expandable panel; its summary shows the commit.
  fireEvent.click(screen.getByRole('button', { name: /^Memory(?! source)/ }));
}

async function dispatchWith(stack: RegExp) {
  fireEvent.click(screen.getByRole('radio', { name: stack }));
  fireEvent.change(screen.getByLabelText(/Prompt/), {
    target: { value: 'Fix it' },
  });
  const button = await waitFor(() => {
    const found = screen.getByRole('button', { name: 'Dispatch' });
    expect(found).toBeEnabled();
    return found;
  });
  fireEvent.click(button);
}

const choose = async (label: RegExp, option: string | RegExp) => {
  fireEvent.mouseDown(screen.getByRole('button', { name: label }));
  fireEvent.click(await screen.findByRole('option', { name: option }));
};

describe('DispatchComposer memory panel', () => {
  it('shows the commit the memory resolves to and sends no memory when left alone', async () => {
    const { api, requests, statusReads } = backend();
    await renderComposer(api);
    expect(
      await screen.findByText(
        'Memory of acme at 1a2b3c4, 2026-12-01 10:00 UTC (from main)',
      ),
    ).toHaveAttribute('title', MEMORY_COMMIT);
    expect(statusReads[0]).toEqual(['acme', {}]);
    await dispatchWith(/scripted-demo/);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].memory).toBeUndefined();
  });

  it('sends the point in time and the queries set, and previews them with citations and stale records', async () => {
    const { api, requests, statusReads, previews } = backend();
    await renderComposer(api);
    await choose(/Point in time/, 'At a time');
    fireEvent.change(screen.getByLabelText('Time (UTC)'), {
      target: { value: '2026-12-01T10:00' },
    });
    expect(
      await screen.findByText(/from main@2026-12-01T10:00:00Z/),
    ).toBeInTheDocument();
    expect(statusReads).toContainEqual([
      'acme',
      { at: '2026-12-01T10:00:00Z' },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Add search' }));
    const search = screen.getByRole('group', { name: 'Memory query 1' });
    fireEvent.change(within(search).getByLabelText('Pattern'), {
      target: { value: 'card payments' },
    });
    fireEvent.click(within(search).getByLabelText('Ignore case'));
    fireEvent.change(within(search).getByLabelText('Kinds'), {
      target: { value: 'service, runbook' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Add record' }));
    fireEvent.change(
      within(
        screen.getByRole('group', { name: 'Memory query 2' }),
      ).getByLabelText('Record id'),
      { target: { value: 'services/ledger' } },
    );

    fireEvent.click(screen.getByRole('button', { name: 'Preview memory' }));
    const excerpts = await screen.findByRole('region', {
      name: 'Preview of search "card payments" (ignore case) of kind service, runbook',
    });
    expect(excerpts).toHaveTextContent('payments-api (service)');
    expect(excerpts).toHaveTextContent('services/payments-api.md@1a2b3c4#L14');
    expect(excerpts).toHaveTextContent('Takes card payments');
    expect(excerpts).toHaveTextContent('2 withheld');
    expect(
      screen.getByRole('region', { name: 'Preview of record services/ledger' }),
    ).toHaveTextContent('services/ledger.md@1a2b3c4');
    const stale = screen.getByLabelText('Stale memory');
    expect(stale).toHaveTextContent('services/payments-api');
    expect(stale).toHaveTextContent(
      'reviewed 2026-11-02; acme/payments-api/src/server.js changed',
    );

    const memory = {
      at: '2026-12-01T10:00:00Z',
      queries: [
        {
          type: 'search',
          pattern: 'card payments',
          ignoreCase: true,
          kinds: ['service', 'runbook'],
        },
        { type: 'record', id: 'services/ledger' },
      ],
    };
    expect(previews).toEqual([{ org: 'acme', ...memory }]);
    await dispatchWith(/scripted-demo/);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].memory).toEqual(memory);
  });

  it('shows the stack’s memory queries read-only and previews them too', async () => {
    const { api, previews } = backend();
    await renderComposer(api);
    fireEvent.click(screen.getByRole('radio', { name: /remembering/ }));
    const fromStack = await screen.findByRole('group', {
      name: 'Memory queries from the stack',
    });
    expect(fromStack).toHaveTextContent(
      'graph around services/ledger, depth 2',
    );
    expect(within(fromStack).queryByRole('textbox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Preview memory' }));
    expect(
      await screen.findByRole('region', {
        name: 'Preview of graph around services/ledger, depth 2',
      }),
    ).toHaveTextContent('ledger (service)');
    expect(previews[0].queries).toEqual([
      { type: 'graph', around: 'services/ledger', depth: 2 },
    ]);
  });

  it('reads another org’s memory, or none beyond the stack’s', async () => {
    const { api, requests } = backend();
    await renderComposer(api);
    await choose(/Memory source/, 'globex');
    expect(
      await screen.findByText(/Memory of globex at 1a2b3c4/),
    ).toBeInTheDocument();
    await dispatchWith(/scripted-demo/);
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].memory).toEqual({ org: 'globex' });

    await choose(/Memory source/, 'None');
    expect(
      await screen.findByText('No memory beyond the stack’s'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add search' })).toBeNull();
    await dispatchWith(/scripted-demo/);
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests[1].memory).toBeUndefined();
  });

  it('shows an API error about the memory in the panel', async () => {
    const { api } = backend();
    api.createRun = async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'memory.queries[0].pattern: git cannot compile it',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        ),
      );
    };
    await renderComposer(api);
    fireEvent.click(screen.getByRole('button', { name: 'Add search' }));
    fireEvent.change(screen.getByLabelText('Pattern'), {
      target: { value: '(' },
    });
    fireEvent.click(screen.getByLabelText('Regex'));
    await dispatchWith(/scripted-demo/);
    expect(
      await screen.findByText(
        'memory.queries[0].pattern: git cannot compile it',
      ),
    ).toBeInTheDocument();
  });

  it('says when the point in time does not resolve', async () => {
    const { api } = backend();
    api.getMemoryStatus = async (_org, at) => {
      if (at?.tag) throw new Error('tag: no tag v9');
      return memoryStatusFixture();
    };
    await renderComposer(api);
    await choose(/Point in time/, 'Tag');
    fireEvent.change(screen.getByLabelText('Tag', { selector: 'input' }), {
      target: { value: 'v9' },
    });
    expect(
      await screen.findByText(
        /The point in time does not resolve: tag: no tag v9/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Memory of acme: not resolved'),
    ).toBeInTheDocument();
  });
});
