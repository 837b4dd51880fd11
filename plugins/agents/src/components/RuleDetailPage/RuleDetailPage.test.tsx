import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  dryRunResultFixture,
  executionFixture,
  ruleFixture,
} from '../../__testUtils__/ruleFixtures';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { rootRouteRef } from '../../routes';
import { RuleDetailPage } from './RuleDetailPage';

const asResource = (object: unknown) => object as AgentsResource;

const noExecutions: AgentsApi['listResources'] = async () => ({
  items: [],
  metadata: { resourceVersion: '1' },
});

function renderPage(
  getRule: () => Promise<AgentTriggerRule>,
  options: {
    listResources?: AgentsApi['listResources'];
    dryRunRule?: AgentsApi['dryRunRule'];
    patchResource?: AgentsApi['patchResource'];
    /** Permissions the caller lacks. */
    denied?: string[];
    name?: string;
  } = {},
) {
  const api: Partial<AgentsApi> = {
    getResource: async () => asResource(await getRule()),
    listResources: options.listResources ?? noExecutions,
    dryRunRule: options.dryRunRule ?? (async () => dryRunResultFixture()),
    patchResource: options.patchResource,
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <Routes>
        <Route
          path="/agents/rules/:namespace/:name"
          element={<RuleDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [
        `/agents/rules/acme/${options.name ?? 'checkout-agent-ready'}`,
      ],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

/** Opens the lifecycle choice, once it is enabled, and picks `to`. */
async function chooseLifecycle(from: string, to: string) {
  const actions = await screen.findByRole('group', { name: 'Rule actions' });
  const select = within(actions).getByRole('button', {
    name: new RegExp(from),
  });
  await waitFor(() =>
    expect(select).not.toHaveAttribute('aria-disabled', 'true'),
  );
  fireEvent.mouseDown(select);
  fireEvent.click(
    within(await screen.findByRole('listbox')).getByRole('option', {
      name: to,
    }),
  );
  return actions;
}

const withStatus = () =>
  ruleFixture('checkout-agent-ready', {
    status: {
      lastExecution: {
        time: '2026-01-02T08:30:00.000Z',
        execution: 'checkout-agent-ready-x1',
        outcome: 'rejected',
        reason: 'concurrency forbid: run scripted-demo-abc12 is active',
      },
      counts: { dispatched: 4, rejected: 1 },
      policyPreview: {
        approvalMode: 'always',
        writeBackMode: 'pull-request',
        requiresApproval: false,
      },
    },
  });

async function notFound() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: 'not found' },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ) as any,
  );
}

describe('RuleDetailPage', () => {
  it('shows what the rule listens to, matches and dispatches, and its status', async () => {
    await renderPage(async () => withStatus());

    const overview = await screen.findByRole('group', {
      name: 'Rule overview',
    });
    expect(
      screen.getByRole('heading', { level: 1, name: 'checkout-agent-ready' }),
    ).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Rule breadcrumbs')).getByRole('link', {
        name: 'acme',
      }),
    ).toHaveAttribute('href', '/agents/rules?namespace=acme');
    expect(
      within(overview).getByText(
        'Dispatch the scripted demo agent when an issue is labelled agent:ready.',
      ),
    ).toBeInTheDocument();
    expect(within(overview).getByLabelText('Lifecycle active')).toBeVisible();
    expect(overview).toHaveTextContent('Eventslabel');
    expect(overview).toHaveTextContent('Repositoriesacme/checkout-web');
    const matchers = within(overview).getByRole('list', { name: 'Matchers' });
    expect(
      within(matchers)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['label.name equals agent:ready', 'issue.state equals open']);
    expect(
      within(overview).getByRole('link', { name: 'scripted-demo' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
    expect(
      within(overview).getByLabelText('Prompt template'),
    ).toHaveTextContent(
      'Fix issue #{{event.issue.number}}: {{event.issue.title}}',
    );
    expect(overview).toHaveTextContent('Context labelsacme-conventions');
    expect(overview).toHaveTextContent(
      'Dedupe key template{{repository}}#{{event.issue.number}}',
    );
    expect(overview).toHaveTextContent(
      'Concurrencycoalesce · at most 1 concurrent runs',
    );
    expect(overview).toHaveTextContent('Require approvalno');

    const last = screen.getByRole('group', { name: 'Last execution' });
    expect(within(last).getByLabelText('Outcome rejected')).toBeVisible();
    expect(last).toHaveTextContent(
      'concurrency forbid: run scripted-demo-abc12 is active',
    );
    expect(
      screen.getByText(
        '4 dispatched · 0 coalesced · 1 rejected · 0 not matched',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('group', { name: 'Policy preview' }),
    ).toHaveTextContent('Write-backpull-request');
  });

  it('puts a Ready condition that is False first, and says when the controller has not run', async () => {
    const condition = (
      type: string,
      status: 'True' | 'False',
      reason: string,
      message: string,
    ) => ({
      type,
      status,
      reason,
      message,
      lastTransitionTime: '2026-01-02T08:00:00.000Z',
    });
    const { unmount } = await renderPage(async () =>
      ruleFixture('checkout-agent-ready', {
        status: {
          policyPreview: { requiresApproval: false },
          conditions: [
            condition(
              'Ready',
              'False',
              'StackNotFound',
              'The rule cannot dispatch (StackNotFound). AgentStack acme/scripted-demo does not exist.',
            ),
            condition(
              'StackReady',
              'False',
              'StackNotFound',
              'AgentStack acme/scripted-demo does not exist.',
            ),
          ],
        },
      }),
    );
    expect(await screen.findByLabelText('Rule not ready')).toHaveTextContent(
      'Not ready · StackNotFound: The rule cannot dispatch (StackNotFound). AgentStack acme/scripted-demo does not exist.',
    );
    expect(screen.getByText('StackReady')).toBeInTheDocument();
    expect(screen.queryByText('Ready')).not.toBeInTheDocument();
    expect(screen.queryByText(/not known yet/)).not.toBeInTheDocument();
    unmount();

    await renderPage(async () => ruleFixture('checkout-agent-ready'));
    expect(
      await screen.findByText(
        'not known yet: the controller has not checked the rule',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Rule not ready')).not.toBeInTheDocument();
  });

  it("lists the rule's executions newest first, dry-runs marked", async () => {
    const listResources = jest.fn<
      ReturnType<AgentsApi['listResources']>,
      Parameters<AgentsApi['listResources']>
    >(async () => ({
      metadata: { resourceVersion: '3' },
      // Newest first, as the list route answers execution records.
      items: [
        executionFixture('checkout-agent-ready-bbb', {
          creationTimestamp: '2026-01-03T10:00:00.000Z',
          spec: { dryRun: true, source: 'label' },
          status: { matched: false, outcome: 'not-matched' },
        }),
        executionFixture('checkout-agent-ready-ccc', {
          creationTimestamp: '2026-01-02T10:00:00.000Z',
          status: {
            matched: true,
            outcome: 'rejected',
            dedupeKey: 'acme/checkout-web#7',
            rejectionReason: 'stack: AgentStack acme/scripted-demo is Invalid',
          },
        }),
        executionFixture('checkout-agent-ready-aaa', {
          creationTimestamp: '2026-01-01T10:00:00.000Z',
        }),
      ].map(asResource),
    }));
    await renderPage(async () => ruleFixture(), { listResources });

    const table = await screen.findByRole('table', {
      name: 'Recent executions',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.getAttribute('aria-label'))).toEqual([
      'checkout-agent-ready-bbb',
      'checkout-agent-ready-ccc',
      'checkout-agent-ready-aaa',
    ]);
    expect(within(rows[0]).getByText('dry run')).toBeInTheDocument();
    expect(within(rows[0]).getByLabelText('Outcome not-matched')).toBeVisible();
    expect(within(rows[1]).queryByText('dry run')).not.toBeInTheDocument();
    expect(rows[1]).toHaveTextContent(
      'stack: AgentStack acme/scripted-demo is Invalid',
    );
    expect(rows[1]).toHaveTextContent('acme/checkout-web#7');
    expect(
      within(rows[2]).getByRole('link', { name: 'scripted-demo-abc12' }),
    ).toHaveAttribute(
      'href',
      '/agents/runs/scripted-demo-abc12?namespace=acme',
    );
    expect(listResources).toHaveBeenCalledWith('agenttriggerexecutions', {
      namespace: 'acme',
      labelSelector: 'agents.krate.dev/trigger-rule=checkout-agent-ready',
      limit: 25,
    });
    expect(screen.queryByText(/older ones are not shown/)).toBeNull();
  });

  it('says when the rule has older executions than it shows', async () => {
    const listResources: AgentsApi['listResources'] = async () => ({
      metadata: { resourceVersion: '3', continue: 'page-2' },
      items: [asResource(executionFixture('checkout-agent-ready-aaa'))],
    });
    await renderPage(async () => ruleFixture(), { listResources });
    expect(
      await screen.findByText(
        'The 25 newest executions; older ones are not shown.',
      ),
    ).toBeInTheDocument();
  });

  it('reads the executions again after a dry run', async () => {
    let recorded = [executionFixture('checkout-agent-ready-aaa')];
    const listResources: AgentsApi['listResources'] = async () => ({
      metadata: { resourceVersion: '1' },
      items: recorded.map(asResource),
    });
    const dryRunRule: AgentsApi['dryRunRule'] = async () => {
      const result = dryRunResultFixture();
      recorded = [
        executionFixture('checkout-agent-ready-dry-1', {
          creationTimestamp: '2026-01-04T10:00:00.000Z',
          spec: { dryRun: true },
        }),
        ...recorded,
      ];
      return result;
    };
    await renderPage(async () => ruleFixture(), { listResources, dryRunRule });
    const table = await screen.findByRole('table', {
      name: 'Recent executions',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(2);

    const button = screen.getByRole('button', { name: 'Dry run' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    await waitFor(() =>
      expect(
        within(table).getAllByRole('row')[1].getAttribute('aria-label'),
      ).toBe('checkout-agent-ready-dry-1'),
    );
    expect(
      screen.getByRole('region', { name: 'Dry-run result' }),
    ).toBeInTheDocument();
  });

  it('opens the rule in the editor', async () => {
    await renderPage(async () => ruleFixture());
    const actions = await screen.findByRole('group', { name: 'Rule actions' });
    const edit = within(actions).getByRole('button', { name: 'Edit' });
    await waitFor(() => expect(edit).toBeEnabled());
    fireEvent.click(edit);
    expect(
      await screen.findByText('AgentTriggerRule acme/checkout-agent-ready'),
    ).toBeInTheDocument();
    expect(screen.getByText('Applied')).toBeInTheDocument();
  });

  it('moves the rule through its lifecycle with a merge patch of spec.lifecycle, then reads it again', async () => {
    let lifecycle = 'active';
    const patchResource = jest.fn<
      ReturnType<AgentsApi['patchResource']>,
      Parameters<AgentsApi['patchResource']>
    >(async (_plural, _namespace, _name, patch) => {
      lifecycle = (patch.spec as { lifecycle: string }).lifecycle;
      return asResource({});
    });
    await renderPage(
      async () =>
        ruleFixture('checkout-agent-ready', {
          spec: { lifecycle: lifecycle as 'active' | 'paused' },
        }),
      { patchResource },
    );
    const actions = await chooseLifecycle('active', 'paused');
    await waitFor(() =>
      expect(
        within(actions).getByRole('button', { name: /paused/ }),
      ).toBeInTheDocument(),
    );
    expect(patchResource).toHaveBeenCalledWith(
      'agenttriggerrules',
      'acme',
      'checkout-agent-ready',
      { spec: { lifecycle: 'paused' } },
    );
  });

  it('says why a lifecycle change was refused', async () => {
    await renderPage(async () => ruleFixture(), {
      patchResource: async () => {
        throw new Error('agents.rule.update is not allowed');
      },
    });
    await chooseLifecycle('active', 'archived');
    expect(
      await screen.findByText(
        'Could not make the rule archived: agents.rule.update is not allowed',
      ),
    ).toBeInTheDocument();
  });

  it('disables editing naming the permission the caller lacks', async () => {
    // Another rule than the other tests: permission decisions are cached per resource.
    await renderPage(async () => ruleFixture('locked-rule'), {
      name: 'locked-rule',
      denied: ['agents.rule.update'],
    });
    expect(
      await screen.findByText(
        'Edit and lifecycle are disabled: You may not edit trigger rule acme/locked-rule (agents.rule.update)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled();
    expect(screen.getByRole('button', { name: /active/ })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('says when the rule does not exist', async () => {
    await renderPage(async () => {
      throw await notFound();
    });
    expect(
      await screen.findByText('No trigger rule acme/checkout-agent-ready'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All rules' })).toHaveAttribute(
      'href',
      '/agents/rules',
    );
  });

  it('shows other errors as errors', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(
        /Could not read trigger rule acme\/checkout-agent-ready/,
      ),
    ).toBeInTheDocument();
  });
});
