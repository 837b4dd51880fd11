import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  mcpServerFixture,
  registryApi,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { McpServersPage } from './McpServersPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const SERVERS = [
  mcpServerFixture('github', {
    status: {
      health: 'Healthy',
      lastProbeTime: '2026-01-01T10:00:00.000Z',
      discoveredTools: [{ name: 'create_issue' }, { name: 'get_file' }],
    },
  }),
  mcpServerFixture('filesystem', {
    spec: { transport: 'stdio', command: 'mcp-fs', args: ['--root', '.'] },
  }),
  mcpServerFixture('flaky', {
    status: { health: 'Unreachable', lastProbeTime: '2026-01-01T10:00:00Z' },
  }),
];

function renderPage(api: Partial<AgentsApi>, route = '/agents/mcp') {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <McpServersPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const rowOf = async (name: string) =>
  (await screen.findByRole('link', { name }, { timeout: 10_000 })).closest(
    'tr',
  )!;

describe('McpServersPage', () => {
  it('lists the servers with their endpoint and health, never probed ones as such', async () => {
    await renderPage(registryApi(SERVERS));
    const github = await rowOf('github');
    expect(within(github).getByRole('link')).toHaveAttribute(
      'href',
      '/agents/mcp/acme/github',
    );
    expect(within(github).getByLabelText('Health Healthy')).toBeInTheDocument();
    expect(
      within(github).getByText('https://github.mcp.test/mcp'),
    ).toBeInTheDocument();
    expect(within(github).getByText('2')).toBeInTheDocument();

    const filesystem = await rowOf('filesystem');
    expect(
      within(filesystem).getByLabelText('Health Never probed'),
    ).toBeInTheDocument();
    expect(within(filesystem).getByText('mcp-fs --root .')).toBeInTheDocument();
    expect(
      within(await rowOf('flaky')).getByLabelText('Health Unreachable'),
    ).toBeInTheDocument();
  });

  it('offers a new server when there is none, as a draft in the editor', async () => {
    await renderPage(registryApi([]));
    expect(
      await screen.findByText('No MCP servers yet', undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New MCP server' }));
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
    expect(screen.getByText('AgentMcpServer acme/')).toBeInTheDocument();
  });

  it('opens a server in the resource editor', async () => {
    await renderPage(registryApi(SERVERS));
    await rowOf('github');
    fireEvent.click(screen.getByRole('button', { name: 'Edit github' }));
    expect(
      await screen.findByText('AgentMcpServer acme/github'),
    ).toBeInTheDocument();
  });

  it('shows the error when the servers cannot be listed', async () => {
    await renderPage(
      registryApi([], {
        listResources: async () => {
          throw new Error('backend down');
        },
      }),
    );
    expect(
      await screen.findByText(/Could not list MCP servers/, undefined, {
        timeout: 10_000,
      }),
    ).toBeInTheDocument();
  });
});
