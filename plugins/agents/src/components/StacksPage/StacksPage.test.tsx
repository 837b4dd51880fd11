import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { StacksPage } from './StacksPage';
import { mockPermissions } from '../../__testUtils__/permissions';

function renderPage(
  listResources: AgentsApi['listResources'],
  route = '/agents/stacks',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[mockPermissions(), [agentsApiRef, { listResources }]]}
    >
      <StacksPage pollIntervalMs={60_000} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const oneStack: AgentsApi['listResources'] = async () => ({
  metadata: { resourceVersion: '7' },
  items: [
    {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: 'scripted-demo', namespace: 'acme', uid: 'u1' },
      spec: { runtime: 'scripted', model: 'none' },
      status: { readiness: 'Ready' },
    },
  ],
});

describe('StacksPage', () => {
  it('lists stacks linking to their pages, and opens one in the builder', async () => {
    await renderPage(oneStack);

    const link = await screen.findByRole('link', { name: 'scripted-demo' });
    expect(link).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
    expect(screen.getByText('Ready')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Edit in builder' }));
    expect(
      await screen.findByText('AgentStack acme/scripted-demo'),
    ).toBeInTheDocument();
    expect(screen.getByText('Applied')).toBeInTheDocument();
  });

  it('opens the builder on the stack named by ?edit=', async () => {
    await renderPage(oneStack, '/agents/stacks?edit=acme/scripted-demo');
    expect(
      await screen.findByText('AgentStack acme/scripted-demo'),
    ).toBeInTheDocument();
  });

  it('says so when ?edit= names a stack that does not exist', async () => {
    await renderPage(oneStack, '/agents/stacks?edit=acme/gone');
    expect(
      await screen.findByText(/No stack acme\/gone to edit/),
    ).toBeInTheDocument();
    expect(screen.queryByText('AgentStack acme/gone')).not.toBeInTheDocument();
  });

  it('offers a new stack when there is none', async () => {
    await renderPage(async () => ({
      metadata: { resourceVersion: '1' },
      items: [],
    }));
    expect(await screen.findByText('No agent stacks yet')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'New stack' }));
    expect(
      await screen.findByText('Draft differs from applied'),
    ).toBeInTheDocument();
  });

  it('lists the stacks of the org in the URL', async () => {
    const listResources = jest.fn(async () => ({
      items: [],
      metadata: { resourceVersion: '1' },
    }));
    await renderPage(listResources, '/agents/stacks?namespace=globex');
    expect(
      await screen.findByText('No agent stacks in globex'),
    ).toBeInTheDocument();
    expect(listResources).toHaveBeenCalledWith('agentstacks', {
      namespace: 'globex',
      limit: 500,
    });
  });

  it('shows the error when stacks cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not list agent stacks/),
    ).toBeInTheDocument();
  });
});
