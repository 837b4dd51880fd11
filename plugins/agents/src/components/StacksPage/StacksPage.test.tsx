import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { StacksPage } from './StacksPage';

function renderPage(listResources: AgentsApi['listResources']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listResources }]]}>
      <StacksPage />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('StacksPage', () => {
  it('lists stacks with their runtime and readiness, and opens one in the builder', async () => {
    await renderPage(async () => ({
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
    }));

    expect(await screen.findByText('scripted-demo')).toBeInTheDocument();
    expect(screen.getByText('Ready')).toBeInTheDocument();
    fireEvent.click(screen.getByText('scripted-demo'));
    expect(
      await screen.findByText('AgentStack acme/scripted-demo'),
    ).toBeInTheDocument();
    expect(screen.getByText('Applied')).toBeInTheDocument();
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

  it('shows the error when stacks cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not list agent stacks/),
    ).toBeInTheDocument();
  });
});
