import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { runFixture, stackFixture } from '../../__testUtils__/fixtures';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import {
  AgentsApi,
  agentsApiRef,
  RunListFilters,
  WorkspaceListFilters,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { EntityAgentsContent } from './EntityAgentsContent';
import { mockPermissions } from '../../__testUtils__/permissions';

// The tab embeds the dispatch composer with its memory panel; a loaded CI machine needs time.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', annotations },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

const annotated = entity({
  'agents.krate.dev/repository': 'acme/payments-api',
});

function renderTab(subject: Entity, api: Partial<AgentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <EntityProvider entity={subject}>
        <EntityAgentsContent pollIntervalMs={60_000} />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('EntityAgentsContent', () => {
  const jsdomScrollIntoView = Element.prototype.scrollIntoView;
  afterEach(() => {
    Element.prototype.scrollIntoView = jsdomScrollIntoView;
  });

  it('explains the missing annotation', async () => {
    await renderTab(entity(), {});
    expect(screen.getByText(/Missing Annotation/)).toBeInTheDocument();
    expect(
      screen.getAllByText(/agents.krate.dev\/repository/).length,
    ).toBeGreaterThan(0);
  });

  it('shows the repository runs, workspaces and org stacks, and dispatches on it', async () => {
    const scrollIntoView = jest.fn();
    Element.prototype.scrollIntoView = scrollIntoView;
    const runFilters: RunListFilters[] = [];
    const workspaceFilters: (WorkspaceListFilters | undefined)[] = [];
    const runs: AgentDispatchRun[] = [runFixture('run-old')];
    await renderTab(annotated, {
      listRuns: async filters => {
        runFilters.push(filters ?? {});
        return { items: [...runs], resourceVersion: '1' };
      },
      listWorkspaces: async filters => {
        workspaceFilters.push(filters);
        return { items: [workspaceFixture('ws-1')], resourceVersion: '1' };
      },
      listStacks: async () => ({
        items: [
          stackFixture('scripted-demo', 'Ready'),
          stackFixture('broken', 'Invalid', 'runtime missing'),
        ],
        resourceVersion: '1',
      }),
      listResources: async () => ({
        items: [],
        metadata: { resourceVersion: '1' },
      }),
      createRun: async request => {
        const run = runFixture('scripted-demo-new', {
          spec: { repository: request.repository, prompt: request.prompt },
        });
        runs.unshift(run);
        return run;
      },
    });

    const table = await screen.findByRole('table', { name: 'Agent runs' });
    expect(
      within(table).getByRole('link', { name: 'run-old' }),
    ).toHaveAttribute('href', '/agents/runs/run-old');
    expect(runFilters[0]).toEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
      limit: 25,
    });
    expect(
      await screen.findByRole('table', { name: 'Agent workspaces' }),
    ).toHaveTextContent('ws-1');
    expect(workspaceFilters).toContainEqual({
      namespace: 'acme',
      repository: 'acme/payments-api',
    });
    const stacks = await screen.findByRole('list', { name: 'Stacks of acme' });
    expect(stacks).toHaveTextContent('scripted-demo');
    expect(stacks).toHaveTextContent('Invalid — runtime missing');

    const composer = screen.getByRole('form', { name: 'Dispatch a stack' });
    expect(within(composer).getByLabelText('Repository')).toHaveValue(
      'acme/payments-api',
    );
    fireEvent.click(
      within(composer).getByRole('radio', { name: /scripted-demo/ }),
    );
    fireEvent.change(within(composer).getByLabelText(/Prompt/), {
      target: { value: 'Fix the rounding bug' },
    });
    const dispatch = within(composer).getByRole('button', { name: 'Dispatch' });
    await waitFor(() => expect(dispatch).toBeEnabled());
    fireEvent.click(dispatch);
    expect(
      await within(
        screen.getByRole('table', { name: 'Agent runs' }),
      ).findByRole('link', { name: 'scripted-demo-new' }),
    ).toBeInTheDocument();
    // Where the user clicked, not at the top of the tab: in the composer's card, below the form.
    const confirmation = screen.getByText(/Dispatched/);
    expect(composer.parentElement).toContainElement(confirmation);
    expect(
      composer.compareDocumentPosition(confirmation) &
        Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(scrollIntoView).toHaveBeenCalled();
    expect(
      within(confirmation).getByRole('link', { name: 'scripted-demo-new' }),
    ).toHaveAttribute('href', '/agents/runs/scripted-demo-new');
  });

  it('shows empty and error states per section', async () => {
    await renderTab(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listWorkspaces: async () => {
        throw new Error('workspaces are down');
      },
      listStacks: async () => ({ items: [], resourceVersion: '1' }),
      listResources: async () => ({
        items: [],
        metadata: { resourceVersion: '1' },
      }),
    });
    expect(
      await screen.findByText('No runs on this repository yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No work items on this repository yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not list workspaces/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByText('acme has no stacks')).toBeInTheDocument(),
    );
    expect(
      await screen.findByText(/Could not list the memory records/),
    ).toBeInTheDocument();
  });

  it("lists the repository's issues and pull requests with their runs, latest first, and linked workspaces and sessions", async () => {
    const asked: [string, unknown][] = [];
    const resource = (kind: string, name: string, rest: object) => ({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind,
      metadata: { name, namespace: 'acme' },
      ...rest,
    });
    const lists: Record<string, unknown[]> = {
      workitems: [
        resource('WorkItem', 'payments-api-pr-7', {
          spec: {
            repository: 'acme/payments-api',
            kind: 'pull-request',
            number: 7,
            title: 'Round totals to the cent',
            state: 'merged',
            labels: [],
          },
        }),
        resource('WorkItem', 'payments-api-issue-42', {
          spec: {
            repository: 'acme/payments-api',
            kind: 'issue',
            number: 42,
            title: 'Checkout total is off',
            url: 'https://github.com/acme/payments-api/issues/42',
            state: 'open',
            labels: ['agent:ready', 'bug'],
          },
        }),
      ],
      // Listed oldest first: the row shows the latest first.
      agentdispatchruns: [
        ['fixer-old', '2026-01-01T10:00:00.000Z', 'Failed'] as const,
        ['fixer-new', '2026-01-02T10:00:00.000Z', 'Succeeded'] as const,
      ].map(([name, created, phase]) => {
        const run = runFixture(name, { status: { phase } });
        return {
          ...run,
          metadata: {
            ...run.metadata,
            creationTimestamp: created,
            labels: { 'agents.krate.dev/work-item': 'payments-api-issue-42' },
          },
        };
      }),
      workitemworkspacelinks: [
        resource('WorkItemWorkspaceLink', 'l-1', {
          spec: {
            workItem: 'payments-api-issue-42',
            workspace: 'fixer-old',
            relation: 'owns',
          },
        }),
      ],
      workitemsessionlinks: [
        resource('WorkItemSessionLink', 's-1', {
          spec: {
            workItem: 'payments-api-issue-42',
            session: 'fixer-new-1-session',
          },
        }),
      ],
    };
    await renderTab(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
      listStacks: async () => ({ items: [], resourceVersion: '1' }),
      listEntityMemoryRecords: async () => ({ items: [] }),
      listResources: async (plural, options) => {
        asked.push([plural, options]);
        return {
          items: (lists[plural] ?? []) as any,
          metadata: { resourceVersion: '1' },
        };
      },
    });

    const table = await screen.findByRole('table', { name: 'Work items' });
    const [, issue, pull] = within(table).getAllByRole('row');
    expect(
      within(issue).getByRole('link', { name: /^Issue #42/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/issues/42');
    expect(issue).toHaveTextContent('Checkout total is off');
    expect(issue).toHaveTextContent('open');
    expect(issue).toHaveTextContent('agent:ready');
    expect(issue).toHaveTextContent('bug');
    const runs = within(issue)
      .getAllByRole('link')
      .filter(link => link.getAttribute('href')?.startsWith('/agents/runs/'));
    expect(runs.map(link => link.textContent)).toEqual([
      'fixer-new',
      'fixer-old',
    ]);
    expect(runs[0]).toHaveAttribute(
      'href',
      '/agents/runs/fixer-new?namespace=acme',
    );
    expect(within(issue).getByLabelText('Phase Succeeded')).toBeInTheDocument();
    expect(within(issue).getByLabelText('Phase Failed')).toBeInTheDocument();
    expect(
      within(issue)
        .getAllByRole('link', { name: 'fixer-old' })
        .map(link => link.getAttribute('href')),
    ).toContain('/agents/workspaces/acme/fixer-old');
    expect(
      within(issue).getByRole('link', { name: 'fixer-new-1-session' }),
    ).toHaveAttribute(
      'href',
      '/agents/resources/agentsessions/acme/fixer-new-1-session',
    );
    expect(pull).toHaveTextContent('PR #7');
    expect(pull).toHaveTextContent('merged');
    expect(pull).toHaveTextContent('No runs');
    expect(
      asked.filter(([plural]) =>
        [
          'workitems',
          'agentdispatchruns',
          'workitemworkspacelinks',
          'workitemsessionlinks',
        ].includes(plural),
      ),
    ).toEqual(
      expect.arrayContaining([
        [
          'workitems',
          { namespace: 'acme', repository: 'acme/payments-api', limit: 100 },
        ],
        [
          'agentdispatchruns',
          {
            namespace: 'acme',
            repository: 'acme/payments-api',
            labelSelector: 'agents.krate.dev/work-item',
            limit: 500,
          },
        ],
      ]),
    );
  });

  it('says when the work items cannot be listed', async () => {
    await renderTab(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
      listStacks: async () => ({ items: [], resourceVersion: '1' }),
      listEntityMemoryRecords: async () => ({ items: [] }),
      listResources: async plural => {
        if (plural === 'workitemsessionlinks') {
          throw new Error('sessions are down');
        }
        return { items: [], metadata: { resourceVersion: '1' } };
      },
    });
    expect(
      await screen.findByText(/Could not list work items/),
    ).toBeInTheDocument();
  });

  it('lists the memory records naming the entity or its repository', async () => {
    const asked: unknown[] = [];
    await renderTab(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
      listStacks: async () => ({ items: [], resourceVersion: '1' }),
      listResources: async () => ({
        items: [],
        metadata: { resourceVersion: '1' },
      }),
      listEntityMemoryRecords: async options => {
        asked.push(options);
        return {
          items: [
            {
              org: 'acme',
              id: 'services/payments-api',
              kind: 'service',
              title: 'payments-api',
              path: 'services/payments-api.md',
              commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
            },
          ],
        };
      },
    });
    const table = await screen.findByRole('table', { name: 'Memory records' });
    const row = within(table).getAllByRole('row')[1];
    expect(row).toHaveTextContent('service');
    expect(row).toHaveTextContent('services/payments-api.md@1a2b3c4');
    expect(
      within(row).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/memory/records?namespace=acme&id=services%2Fpayments-api',
    );
    expect(asked).toEqual([
      {
        entityRef: 'component:default/payments-api',
        repository: 'acme/payments-api',
      },
    ]);
  });

  it('says when no memory record names the entity', async () => {
    await renderTab(annotated, {
      listRuns: async () => ({ items: [], resourceVersion: '1' }),
      listWorkspaces: async () => ({ items: [], resourceVersion: '1' }),
      listStacks: async () => ({ items: [], resourceVersion: '1' }),
      listResources: async () => ({
        items: [],
        metadata: { resourceVersion: '1' },
      }),
      listEntityMemoryRecords: async () => ({ items: [] }),
    });
    expect(
      await screen.findByText('No memory records name this entity'),
    ).toBeInTheDocument();
  });
});
