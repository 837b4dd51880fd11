import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { IdentitiesOverview } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { parse } from 'yaml';
import {
  identitiesOverviewFixture,
  listStacksOf,
} from '../../__testUtils__/accessFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { IdentitiesPage } from './IdentitiesPage';

// The tables are a large DOM that role queries walk slowly on a busy machine.
jest.setTimeout(30_000);

async function renderPage(
  overview: () => Promise<IdentitiesOverview>,
  options: { denied?: string[]; route?: string } = {},
) {
  const getIdentitiesOverview = jest.fn<Promise<IdentitiesOverview>, [string]>(
    overview,
  );
  const api: Partial<AgentsApi> = {
    getIdentitiesOverview,
    listStacks: listStacksOf(),
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <IdentitiesPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/identities'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
  return { getIdentitiesOverview };
}

async function clickWhenEnabled(name: string) {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

describe('IdentitiesPage', () => {
  it('lists service accounts, teams and users with their bindings, grants and stacks', async () => {
    const { getIdentitiesOverview } = await renderPage(async () =>
      identitiesOverviewFixture(),
    );
    const accounts = await screen.findByRole('table', {
      name: 'Service accounts',
    });
    expect(getIdentitiesOverview).toHaveBeenCalledWith('acme');
    const [, bot, runner] = within(accounts).getAllByRole('row');
    expect(bot).toHaveTextContent(
      'agent-botagentkrate-agent-botyesbot-adminSecrets: github-mcp-tokenConfig: payments-regionpayments-triage',
    );
    for (const [name, href] of [
      ['agent-bot', '/agents/resources/agentserviceaccounts/acme/agent-bot'],
      ['bot-admin', '/agents/resources/agentrolebindings/acme/bot-admin'],
      [
        'github-mcp-token',
        '/agents/resources/agentsecretgrants/acme/github-mcp-token',
      ],
      [
        'payments-region',
        '/agents/resources/agentconfiggrants/acme/payments-region',
      ],
      ['payments-triage', '/agents/stacks/acme/payments-triage'],
    ]) {
      expect(within(bot).getByRole('link', { name })).toHaveAttribute(
        'href',
        href,
      );
    }
    expect(runner).toHaveTextContent('runner-poolrunnerkrate-runnerno');

    const teams = screen.getByRole('table', { name: 'Teams' });
    expect(within(teams).getAllByRole('row')[1]).toHaveTextContent(
      'group:default/paymentsPaymentsuser:default/alicepayments-dispatchers',
    );
    const users = screen.getByRole('table', { name: 'Users' });
    expect(within(users).getAllByRole('row')[1]).toHaveTextContent(
      'user:default/aliceAlicegroup:default/payments—',
    );

    expect(screen.getByRole('tab', { name: 'Identities' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Secrets' })).toHaveAttribute(
      'href',
      '/agents/secrets?namespace=acme',
    );
    expect(screen.getByRole('tab', { name: 'Permissions' })).toHaveAttribute(
      'href',
      '/agents/permissions?namespace=acme',
    );
  });

  it('links each identity to the permission review prefilled with it', async () => {
    await renderPage(async () => identitiesOverviewFixture());
    expect(
      await screen.findByRole('button', {
        name: 'Review access of agent-bot',
      }),
    ).toHaveAttribute(
      'href',
      '/agents/permissions?namespace=acme&subjectKind=service-account&subject=agent-bot',
    );
    expect(
      screen.getByRole('button', {
        name: 'Review access of group:default/payments',
      }),
    ).toHaveAttribute(
      'href',
      '/agents/permissions?namespace=acme&subjectKind=team&subject=group%3Adefault%2Fpayments',
    );
    expect(
      screen.getByRole('button', {
        name: 'Review access of user:default/alice',
      }),
    ).toHaveAttribute(
      'href',
      '/agents/permissions?namespace=acme&subjectKind=user&subject=user%3Adefault%2Falice',
    );
  });

  it('opens a new service account and a new role binding in the editor', async () => {
    await renderPage(async () => identitiesOverviewFixture());
    await clickWhenEnabled('New service account');
    expect(
      await screen.findByText('AgentServiceAccount acme/new-service-account'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
    expect(
      parse((screen.getByLabelText('YAML') as HTMLTextAreaElement).value).spec,
    ).toEqual({ purpose: 'agent', serviceAccountName: 'new-service-account' });
    fireEvent.keyDown(screen.getByLabelText('YAML'), { key: 'Escape' });
    await waitFor(() =>
      expect(
        screen.queryByText('AgentServiceAccount acme/new-service-account'),
      ).not.toBeInTheDocument(),
    );

    await clickWhenEnabled('New role binding');
    expect(
      await screen.findByText('AgentRoleBinding acme/new-role-binding'),
    ).toBeInTheDocument();
  });

  it('disables creating a service account without the permission', async () => {
    // Its own org: permission decisions are cached per resource across tests.
    await renderPage(async () => identitiesOverviewFixture(), {
      denied: ['agents.service-account.create'],
      route: '/agents/identities?namespace=initech',
    });
    const button = await screen.findByRole('button', {
      name: 'New service account',
    });
    await waitFor(() => expect(button).toBeDisabled());
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'New role binding' }),
      ).toBeEnabled(),
    );
  });

  it('says when the org has no identities', async () => {
    await renderPage(async () => ({
      users: [],
      teams: [],
      serviceAccounts: [],
    }));
    expect(
      await screen.findByText('No identities in acme'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'New service account' }),
    ).toBeInTheDocument();
  });

  it('shows why the identities could not be read', async () => {
    await renderPage(async () => {
      throw new Error('catalog down');
    });
    expect(
      await screen.findByText(/Could not read the identities of acme/),
    ).toBeInTheDocument();
  });
});
