import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { AgentsPage } from './AgentsPage';

const empty = async () => ({ items: [], resourceVersion: '1' });

function renderPage(getHealth: AgentsApi['getHealth']) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          agentsApiRef,
          {
            getHealth,
            listRuns: empty,
            listApprovals: empty,
            listStacks: empty,
            listSessions: empty,
            listDeliveries: empty,
            listRules: empty,
            getCosts: async () => ({
              groupBy: 'stack' as const,
              since: '',
              until: '',
              items: [],
            }),
            getBudgetStates: async () => ({ items: [] }),
          },
        ],
      ]}
    >
      <AgentsPage />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('AgentsPage', () => {
  it('shows the backend version and storage', async () => {
    await renderPage(async () => ({
      status: 'ok',
      version: '0.1.0',
      storage: { dialect: 'postgres' },
    }));

    expect(screen.getByRole('heading', { name: 'Agents' })).toBeInTheDocument();
    expect(await screen.findByText('PostgreSQL')).toBeInTheDocument();
    expect(screen.getByText('0.1.0')).toBeInTheDocument();
    expect(await screen.findByTestId('Active runs')).toHaveTextContent('0');
    expect(await screen.findByTestId('Active sessions')).toHaveTextContent('0');
    expect(await screen.findByText('None failed.')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      screen.getByRole('link', { name: 'Trigger rules' }),
    ).toBeInTheDocument();
  });

  it("shows Kubernetes mode's cluster state when the backend reports it", async () => {
    await renderPage(async () => ({
      status: 'degraded',
      version: '0.1.0',
      storage: { dialect: 'sqlite' },
      kubernetes: {
        status: 'degraded',
        server: 'https://10.0.0.1:6443',
        message:
          'Kubernetes mode at https://10.0.0.1:6443 is degraded: CRDs not installed: agentstacks.agents.krate.dev',
        missingCrds: ['agentstacks.agents.krate.dev'],
        missingPermissions: [],
      },
    }));

    expect(
      await screen.findByText(
        'degraded: Kubernetes mode at https://10.0.0.1:6443 is degraded: CRDs not installed: agentstacks.agents.krate.dev',
      ),
    ).toBeInTheDocument();
  });

  it('says when the backend is unreachable', async () => {
    await renderPage(async () => {
      throw new Error('connect ECONNREFUSED');
    });

    expect(
      await screen.findByText(/The agents backend is unreachable/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/connect ECONNREFUSED/).length).toBeGreaterThan(
      0,
    );
  });
});
