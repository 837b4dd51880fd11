import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  PermissionReviewRequest,
  PermissionsOverview,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { parse } from 'yaml';
import {
  listStacksOf,
  permissionReviewFixture,
  permissionsOverviewFixture,
} from '../../__testUtils__/accessFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { stubReactFlowDom } from '../../__testUtils__/stubReactFlowDom';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { PermissionsPage } from './PermissionsPage';

// A new React Flow per graph and large tables are slow on a busy machine.
jest.setTimeout(30_000);

let restoreDom: () => void;
beforeAll(() => {
  restoreDom = stubReactFlowDom();
});
afterAll(() => restoreDom());

async function renderPage(
  overview: () => Promise<PermissionsOverview>,
  options: { denied?: string[]; route?: string } = {},
) {
  const getPermissionsOverview = jest.fn<
    Promise<PermissionsOverview>,
    [string]
  >(overview);
  const reviewPermission = jest.fn(async (_: PermissionReviewRequest) =>
    permissionReviewFixture(),
  );
  const api: Partial<AgentsApi> = {
    getPermissionsOverview,
    reviewPermission,
    listStacks: listStacksOf(),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <PermissionsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/permissions'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
  return { getPermissionsOverview, reviewPermission };
}

async function clickWhenEnabled(name: string) {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

/** A drawn node or edge by its accessible name, once React Flow has measured and shown it. */
const findInGraph = async (name: string) =>
  within(await screen.findByRole('figure', { name: 'Grant graph' })).findByRole(
    'group',
    { name },
  );

describe('PermissionsPage', () => {
  it('shows role templates, bindings with scope, drift and owner, and the warnings', async () => {
    const { getPermissionsOverview } = await renderPage(async () =>
      permissionsOverviewFixture(),
    );
    const bindings = await screen.findByRole('table', {
      name: 'Role bindings',
    });
    expect(getPermissionsOverview).toHaveBeenCalledWith('acme');
    const [, team, bot] = within(bindings).getAllByRole('row');
    expect(team).toHaveTextContent(
      'payments-dispatchersteam group:default/paymentsClusterRole/krate-agents-dispatcheracme/payments-api—user:default/alice',
    );
    expect(bot).toHaveTextContent(
      'bot-adminservice-account agent-botClusterRole/krate-agents-adminthe whole orgDrifteduser:default/bob',
    );
    expect(
      within(team).getByRole('link', { name: 'payments-dispatchers' }),
    ).toHaveAttribute(
      'href',
      '/agents/resources/agentrolebindings/acme/payments-dispatchers',
    );

    const templates = screen.getByRole('table', { name: 'Role templates' });
    expect(within(templates).getAllByRole('row')[2]).toHaveTextContent(
      'krate-agents-dispatcherViewer, and dispatches runs.agents.stack.read, agents.run.read, agents.run.create',
    );

    const warnings = screen.getByRole('list', { name: 'Permission warnings' });
    expect(within(warnings).getAllByRole('listitem')[0]).toHaveTextContent(
      'Escalation · AgentRoleBinding/bot-admin: AgentRoleBinding/bot-admin grants krate-agents-admin, more than its owner user:default/bob has.',
    );
    expect(warnings).toHaveTextContent('Drift · AgentRoleBinding/bot-admin');
  });

  it('draws the grant graph: nodes by kind, edges labelled', async () => {
    await renderPage(async () => permissionsOverviewFixture());
    const team = await findInGraph('group:default/payments (team)');
    expect(team).toHaveTextContent('group:default/payments');
    // The legend's order: user, team, service-account…; team is the second colour.
    expect(team).toHaveStyle({ borderLeft: '10px solid #f28e2b' });
    expect(await findInGraph('agent-bot (service-account)')).toBeVisible();
    expect(
      await findInGraph(
        'group:default/payments subject of payments-dispatchers',
      ),
    ).toHaveTextContent('subject of');
    expect(
      await findInGraph('github-mcp-token token github-token'),
    ).toHaveTextContent('token');
    expect(
      within(screen.getByRole('list', { name: 'Node kinds' }))
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'team',
      'service-account',
      'binding',
      'role',
      'grant',
      'secret',
    ]);
  });

  it('prefills the review with the subject in the URL and offers the templates’ permissions', async () => {
    const { reviewPermission } = await renderPage(
      async () => permissionsOverviewFixture(),
      {
        route:
          '/agents/permissions?namespace=acme&subjectKind=service-account&subject=agent-bot',
      },
    );
    expect(await screen.findByLabelText('Subject')).toHaveValue('agent-bot');
    expect(screen.getByLabelText('Subject kind')).toHaveValue(
      'service-account',
    );
    expect(
      within(screen.getByLabelText('Action'))
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual([
      'Choose a permission',
      'agents.run.create',
      'agents.run.read',
      'agents.secret-grant.create',
      'agents.stack.read',
    ]);
    fireEvent.click(screen.getByRole('radio', { name: 'A stack' }));
    expect(
      within(screen.getByLabelText('Stack'))
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['Choose a stack', 'payments-triage']);
    fireEvent.change(screen.getByLabelText('Stack'), {
      target: { value: 'payments-triage' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Review' }));
    expect(await screen.findByLabelText('Decision denied')).toBeVisible();
    expect(reviewPermission).toHaveBeenCalledWith({
      namespace: 'acme',
      subject: { kind: 'service-account', name: 'agent-bot' },
      stack: 'payments-triage',
    });
  });

  it('prepares a binding to a role template in the editor', async () => {
    await renderPage(async () => permissionsOverviewFixture());
    await clickWhenEnabled('Bind krate-agents-viewer');
    expect(
      await screen.findByText('AgentRoleBinding acme/viewer'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    expect(
      parse((screen.getByLabelText('YAML') as HTMLTextAreaElement).value).spec,
    ).toEqual({
      subjects: [{ kind: 'user', name: '' }],
      roleRef: { kind: 'ClusterRole', name: 'krate-agents-viewer' },
    });
  });

  it('disables binding roles without the permission', async () => {
    // Its own org: permission decisions are cached per resource across tests.
    await renderPage(async () => permissionsOverviewFixture(), {
      denied: ['agents.role-binding.create'],
      route: '/agents/permissions?namespace=initech',
    });
    const button = await screen.findByRole('button', {
      name: 'New role binding',
    });
    await waitFor(() => expect(button).toBeDisabled());
    expect(
      screen.getByRole('button', { name: 'Bind krate-agents-admin' }),
    ).toBeDisabled();
  });

  it('says when the org has no roles or bindings', async () => {
    await renderPage(async () => ({
      roleTemplates: [],
      bindings: [],
      graph: { nodes: [], edges: [] },
      warnings: [],
    }));
    expect(
      await screen.findByText('No roles or bindings in acme'),
    ).toBeInTheDocument();
  });

  it('shows why the permissions could not be read', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not read the permissions of acme/),
    ).toBeInTheDocument();
  });
});
