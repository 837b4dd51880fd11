import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { mockPermissions } from '../../__testUtils__/permissions';
import {
  registryApi,
  toolProfileFixture,
} from '../../__testUtils__/registryFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { ToolsPage } from './ToolsPage';

// Whole pages render slowly on a loaded machine.
jest.setTimeout(30_000);

const SAFE = toolProfileFixture('payments-safe', {
  shell: {
    allowCommands: ['npm test*', 'npm run lint'],
    denyCommands: ['rm *'],
  },
  network: { mode: 'allow-list', allowedHosts: ['registry.npmjs.org'] },
  approvalRequired: ['shell', 'write-back'],
});

function renderPage(api: Partial<AgentsApi>, route = '/agents/tools') {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(), [agentsApiRef, api]]}>
      <ToolsPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('ToolsPage', () => {
  it('lists the tool profiles with their policy at a glance, each linking to its page', async () => {
    await renderPage(registryApi([SAFE]));
    const link = await screen.findByRole('link', { name: 'payments-safe' });
    expect(link).toHaveAttribute('href', '/agents/tools/acme/payments-safe');
    const row = link.closest('tr')!;
    expect(within(row).getByText('2 allowed · 1 denied')).toBeInTheDocument();
    expect(within(row).getByText('allow-list')).toBeInTheDocument();
    expect(within(row).getByText('shell, write-back')).toBeInTheDocument();
    expect(within(row).getByText('Ready')).toBeInTheDocument();
  });

  it('opens a profile in the resource editor as applied', async () => {
    await renderPage(registryApi([SAFE]));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Edit payments-safe' }),
    );
    expect(
      await screen.findByText('AgentToolProfile acme/payments-safe'),
    ).toBeInTheDocument();
    expect(screen.getByText('Applied')).toBeInTheDocument();
  });

  it('offers a new profile when there is none, as a draft in the org shown', async () => {
    await renderPage(registryApi([]), '/agents/tools?namespace=globex');
    expect(
      await screen.findByText('No tool profiles in globex'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New tool profile' }));
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
    expect(screen.getByText('AgentToolProfile globex/')).toBeInTheDocument();
    expect(screen.getByLabelText('metadata.namespace')).toHaveValue('globex');
  });

  it('lists the profiles of the org in the URL', async () => {
    const listResources = jest.fn(registryApi([SAFE]).listResources!);
    await renderPage(
      registryApi([SAFE], { listResources }),
      '/agents/tools?namespace=acme',
    );
    await screen.findByRole('link', { name: 'payments-safe' });
    expect(listResources).toHaveBeenCalledWith('agenttoolprofiles', {
      namespace: 'acme',
      limit: 500,
    });
  });

  it('shows the error when the profiles cannot be listed', async () => {
    await renderPage(
      registryApi([], {
        listResources: async () => {
          throw new Error('backend down');
        },
      }),
    );
    expect(
      await screen.findByText(/Could not list tool profiles/),
    ).toBeInTheDocument();
  });

  it('is the Tools section of the navigation, which keeps the org', async () => {
    await renderPage(registryApi([]), '/agents/tools?namespace=globex');
    await screen.findByText('No tool profiles in globex');
    const tools = screen.getByRole('tab', { name: 'Tools' });
    expect(tools).toHaveAttribute('aria-selected', 'true');
    expect(tools).toHaveAttribute('href', '/agents/tools?namespace=globex');
    expect(screen.getByRole('tab', { name: 'MCP' })).toHaveAttribute(
      'href',
      '/agents/mcp?namespace=globex',
    );
    expect(screen.getByRole('tab', { name: 'Skills' })).toHaveAttribute(
      'href',
      '/agents/skills?namespace=globex',
    );
  });
});
