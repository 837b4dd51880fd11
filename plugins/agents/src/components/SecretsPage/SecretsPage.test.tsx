import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { SecretInventory } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { parse } from 'yaml';
import {
  listStacksOf,
  secretInventoryFixture,
} from '../../__testUtils__/accessFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { SecretsPage } from './SecretsPage';

// The matrix is a large DOM that role queries walk slowly on a busy machine.
jest.setTimeout(30_000);

async function renderPage(
  inventory: () => Promise<SecretInventory>,
  options: {
    denied?: string[];
    apply?: AgentsApi['apply'];
    route?: string;
  } = {},
) {
  const getSecretInventory = jest.fn<Promise<SecretInventory>, [string]>(
    inventory,
  );
  const api: Partial<AgentsApi> = {
    getSecretInventory,
    listStacks: listStacksOf(),
    apply: options.apply,
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <SecretsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/secrets'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
  return { getSecretInventory };
}

/** Clicks a button once the permission answer enabled it. */
async function clickWhenEnabled(name: string) {
  const button = await screen.findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

/** The editor's draft, as its YAML view shows it. */
function editorDraft() {
  fireEvent.click(screen.getByRole('tab', { name: 'YAML' }));
  return parse((screen.getByLabelText('YAML') as HTMLTextAreaElement).value);
}

describe('SecretsPage', () => {
  it('shows each Secret and ConfigMap with its keys, source, consumers, grants and warnings', async () => {
    const { getSecretInventory } = await renderPage(async () =>
      secretInventoryFixture(),
    );

    const github = await screen.findByRole('table', {
      name: 'Keys of Secret github-token',
    });
    // The first org with a stack is chosen.
    expect(getSecretInventory).toHaveBeenCalledWith('acme');
    expect(
      screen.getByText(/^Held by the config secret source · last rotated/),
    ).toBeVisible();
    const [, row] = within(github).getAllByRole('row');
    expect(row).toHaveTextContent('token');
    expect(row).toHaveTextContent('mcp-server githubgranted');
    expect(row).toHaveTextContent('skill release-notesno grant');
    expect(row).toHaveTextContent(
      'to agent:agent-bot, mcp-server:github · The GitHub MCP server reads issues',
    );
    expect(
      within(row).getByRole('link', { name: 'github-mcp-token' }),
    ).toHaveAttribute(
      'href',
      '/agents/resources/agentsecretgrants/acme/github-mcp-token',
    );
    expect(within(row).getByText('active')).toBeInTheDocument();

    expect(screen.getByText('No secret source holds it')).toBeInTheDocument();
    const pagerduty = screen.getByRole('table', {
      name: 'Keys of Secret pagerduty',
    });
    expect(within(pagerduty).getByText('missing')).toBeInTheDocument();

    const settings = screen.getByRole('table', {
      name: 'Keys of ConfigMap payments-settings',
    });
    expect(within(settings).getByText('expired')).toBeInTheDocument();
    expect(
      within(settings).getByRole('link', { name: 'payments-region' }),
    ).toHaveAttribute(
      'href',
      '/agents/resources/agentconfiggrants/acme/payments-region',
    );

    const warnings = screen.getByRole('list', { name: 'Inventory warnings' });
    expect(within(warnings).getAllByRole('listitem')).toHaveLength(2);
    expect(warnings).toHaveTextContent(
      'MissingSecret · AgentSkill/incident: No secret source holds key api-key of Secret pagerduty.',
    );
  });

  it('prepares the grant of a key to a consumer that has none, and re-reads the inventory once applied', async () => {
    const apply = jest.fn<
      ReturnType<AgentsApi['apply']>,
      Parameters<AgentsApi['apply']>
    >(async ([document]) => ({
      dryRun: false,
      items: [
        {
          index: 0,
          result: 'created',
          object: {
            ...document,
            metadata: { ...document.metadata, uid: 'new-grant' },
          },
        },
      ],
    }));
    const { getSecretInventory } = await renderPage(
      async () => secretInventoryFixture(),
      { apply },
    );
    expect(
      screen.queryByRole('button', {
        name: 'Grant token to mcp-server github',
      }),
    ).not.toBeInTheDocument();
    await clickWhenEnabled('Grant token to skill release-notes');

    expect(
      await screen.findByText(
        'AgentSecretGrant acme/release-notes-github-token',
      ),
    ).toBeInTheDocument();
    expect(editorDraft()).toEqual({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentSecretGrant',
      metadata: { name: 'release-notes-github-token', namespace: 'acme' },
      spec: {
        secretName: 'github-token',
        keys: ['token'],
        subjects: [
          { kind: 'agent', name: 'agent-bot' },
          { kind: 'skill', name: 'release-notes' },
        ],
        purpose:
          'skill release-notes needs Secret github-token key token (AgentSkill/release-notes spec.requiredSecrets[0])',
      },
    });

    const reads = getSecretInventory.mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(apply).toHaveBeenCalled());
    expect(apply.mock.calls[0][1]).toEqual({ dryRun: false });
    await waitFor(() =>
      expect(getSecretInventory.mock.calls.length).toBeGreaterThan(reads),
    );
  });

  it('prepares a grant of every key of a ConfigMap from its card', async () => {
    await renderPage(async () => secretInventoryFixture());
    await clickWhenEnabled('New grant of ConfigMap payments-settings');
    expect(
      await screen.findByText('AgentConfigGrant acme/payments-settings-grant'),
    ).toBeInTheDocument();
    expect(editorDraft().spec).toMatchObject({
      configMapName: 'payments-settings',
      keys: ['region'],
    });
  });

  it('disables the grant actions naming the permission the caller lacks', async () => {
    // Its own org: permission decisions are cached per resource across tests.
    await renderPage(async () => secretInventoryFixture(), {
      denied: ['agents.secret-grant.create'],
      route: '/agents/secrets?namespace=initech',
    });
    const grant = await screen.findByRole('button', {
      name: 'Grant token to skill release-notes',
    });
    await waitFor(() => expect(grant).toBeDisabled());
    expect(
      screen.getByRole('button', { name: 'New grant of Secret pagerduty' }),
    ).toBeDisabled();
    // The ConfigMap's grants are another permission.
    expect(
      screen.getByRole('button', {
        name: 'New grant of ConfigMap payments-settings',
      }),
    ).toBeEnabled();
  });

  it('says when the org in the URL has no Secret or ConfigMap, and still offers a grant', async () => {
    // Its own org: permission decisions are cached per resource across tests.
    const { getSecretInventory } = await renderPage(
      async () => ({ items: [], warnings: [] }),
      { route: '/agents/secrets?namespace=globex' },
    );
    expect(
      await screen.findByText('No Secrets or ConfigMaps in globex'),
    ).toBeInTheDocument();
    expect(getSecretInventory).toHaveBeenCalledWith('globex');
    await clickWhenEnabled('New grant');
    expect(
      await screen.findByText('AgentSecretGrant globex/new-secret-grant'),
    ).toBeInTheDocument();
  });

  it('shows why the inventory could not be read', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not read the secret inventory of acme/),
    ).toBeInTheDocument();
  });
});
