import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentMcpServer } from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { refusal } from '../../__testUtils__/artifactFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  mcpServerFixture,
  registryApi,
  usingStack,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { rootRouteRef } from '../../routes';
import { McpServerDetailPage } from './McpServerDetailPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const GITHUB = mcpServerFixture('github', {
  spec: {
    allowedTools: ['create_issue', 'search_code'],
    allowedStacks: ['triage'],
    secretRefs: [{ name: 'github-mcp', key: 'token', env: 'Authorization' }],
  },
});

const OBJECTS = [
  GITHUB,
  usingStack('triage', { mcpServers: ['github', 'jira'] }),
  usingStack('unrelated', { mcpServers: ['jira'] }),
  mcpServerFixture('locked'),
];

const PROBED: AgentMcpServer = {
  ...GITHUB,
  status: {
    health: 'Degraded',
    lastProbeTime: '2026-01-01T10:00:00.000Z',
    discoveredTools: [
      { name: 'create_issue', description: 'Opens an issue' },
      { name: 'delete_repo' },
    ],
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'ToolsMissing',
        message:
          'allowedTools names search_code, which the server does not offer',
        lastTransitionTime: '2026-01-01T10:00:00.000Z',
      },
    ],
  },
};

function renderPage(
  api: Partial<AgentsApi>,
  options: { denied?: string[]; route?: string } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(options.denied), [agentsApiRef, api]]}
    >
      <Routes>
        <Route
          path="/agents/mcp/:namespace/:name"
          element={<McpServerDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/agents/mcp/acme/github'],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

/** The server has been read: its cards are on the page. */
const loaded = () =>
  screen.findByText('Last probe', undefined, { timeout: 10_000 });

describe('McpServerDetailPage', () => {
  it('shows a server never probed, how it is reached, its secret refs by name and the stacks', async () => {
    await renderPage(registryApi(OBJECTS));
    await loaded();
    expect(screen.getByLabelText('Health Never probed')).toBeInTheDocument();
    expect(
      screen.getByText('No probe has listed the tools yet.'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('https://github.mcp.test/mcp')).not.toHaveLength(
      0,
    );
    const refs = screen.getByRole('table', { name: 'Secret refs' });
    const row = within(refs).getByText('github-mcp').closest('tr')!;
    expect(row).toHaveTextContent('github-mcptokenAuthorization');
    expect(
      within(screen.getByRole('list', { name: 'Allowed stacks' })).getByText(
        'triage',
      ),
    ).toBeInTheDocument();
    const stacks = await screen.findByRole(
      'list',
      { name: 'Stacks using it' },
      { timeout: 10_000 },
    );
    expect(within(stacks).getAllByRole('link')).toHaveLength(1);
    expect(
      within(stacks).getByRole('link', { name: 'triage' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/triage');
  });

  it('probes the server now and shows the health, tools and Ready message it answered', async () => {
    const probeMcpServer = jest.fn(async () => PROBED);
    await renderPage(registryApi(OBJECTS, { probeMcpServer }));
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Probe now' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Probe now' }));

    expect(await screen.findByLabelText('Health Degraded')).toBeInTheDocument();
    expect(probeMcpServer).toHaveBeenCalledWith('acme', 'github');
    expect(screen.getByLabelText('Ready condition')).toHaveTextContent(
      'False · ToolsMissing: allowedTools names search_code, which the server does not offer',
    );
    const tools = screen.getByRole('table', { name: 'Discovered tools' });
    expect(
      within(tools).getByText('create_issue').closest('tr'),
    ).toHaveTextContent('create_issueOpens an issueallowed');
    expect(
      within(tools).getByText('delete_repo').closest('tr'),
    ).toHaveTextContent('not in allowedTools');
    expect(
      screen.getByText(
        'allowedTools names tools the server does not offer: search_code',
      ),
    ).toBeInTheDocument();
  });

  it('shows why a probe failed', async () => {
    await renderPage(
      registryApi(OBJECTS, {
        probeMcpServer: async () => {
          throw await refusal(409, 'a probe of github is already running');
        },
      }),
    );
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Probe now' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Probe now' }));
    expect(
      await screen.findByText(
        'Could not probe: a probe of github is already running',
      ),
    ).toBeInTheDocument();
  });

  it('disables Probe now and Edit without the update permission, saying which', async () => {
    // Another server than the other tests: permission decisions are cached per resource.
    await renderPage(registryApi(OBJECTS), {
      denied: ['agents.mcp-server.update'],
      route: '/agents/mcp/acme/locked',
    });
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Probe now' })).toBeDisabled(),
    );
    expect(screen.getByRole('button', { name: 'Edit' })).toBeDisabled();
    expect(
      screen.getByText(
        'You may not probe the MCP server acme/locked (agents.mcp-server.update)',
      ),
    ).toBeInTheDocument();
  });

  it('edits the server in the resource editor and shows what was applied', async () => {
    const applied = {
      ...GITHUB,
      spec: { ...GITHUB.spec, url: 'https://github.example/mcp' },
    } as unknown as AgentsResource;
    // The store the fake API answers from: applying replaces the server in it.
    const stored: { kind: string; metadata: AgentsResource['metadata'] }[] = [
      ...OBJECTS,
    ];
    const apply = jest.fn(async () => {
      stored[0] = applied;
      return {
        dryRun: false,
        items: [{ index: 0, result: 'configured', object: applied }],
      };
    }) as unknown as AgentsApi['apply'];
    await renderPage(registryApi(stored, { apply }));
    await loaded();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(await screen.findByLabelText('spec.url'), {
      target: { value: 'https://github.example/mcp' },
    });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled(),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(apply).toHaveBeenCalled());
    expect((apply as jest.Mock).mock.calls[0][0][0].spec.url).toBe(
      'https://github.example/mcp',
    );
    expect(
      await screen.findByText('https://github.example/mcp', {
        selector: 'code',
      }),
    ).toBeInTheDocument();
  });

  it('says so when the server does not exist', async () => {
    await renderPage(registryApi(OBJECTS), { route: '/agents/mcp/acme/gone' });
    expect(
      await screen.findByText('No MCP server acme/gone', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'All MCP servers' }),
    ).toHaveAttribute('href', '/agents/mcp?namespace=acme');
  });
});
