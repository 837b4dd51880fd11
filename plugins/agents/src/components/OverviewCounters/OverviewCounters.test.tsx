import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import Grid from '@material-ui/core/Grid';
import {
  approvalFixture,
  runFixture,
  stackFixture,
} from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { OverviewCounters } from './OverviewCounters';

describe('OverviewCounters', () => {
  it('counts active runs, pending approvals and ready stacks live, each linking to its list', async () => {
    let running = 2;
    const perPhase = (phase?: string) =>
      ({ Running: running, Waiting: 1 }[phase as 'Running'] ?? 0);
    const listRuns: AgentsApi['listRuns'] = async filters => ({
      items: Array.from({ length: perPhase(filters?.phase) }, (_, i) =>
        runFixture(`r${i}`),
      ),
      resourceVersion: '1',
    });
    const listApprovals: AgentsApi['listApprovals'] = async () => ({
      items: [
        approvalFixture('a1'),
        approvalFixture('a2'),
        approvalFixture('a3'),
      ],
      continue: 'more',
      resourceVersion: '1',
    });
    const listStacks: AgentsApi['listStacks'] = async () => ({
      items: [
        stackFixture('a', 'Ready'),
        stackFixture('b', 'Ready'),
        stackFixture('c', 'Warning'),
        stackFixture('d', 'Invalid'),
      ],
      resourceVersion: '1',
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[[agentsApiRef, { listRuns, listApprovals, listStacks }]]}
      >
        <Grid container>
          <OverviewCounters pollIntervalMs={250} />
        </Grid>
      </TestApiProvider>,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    expect(await screen.findByTestId('Active runs')).toHaveTextContent('3');
    expect(screen.getByRole('link', { name: 'Active runs' })).toHaveAttribute(
      'href',
      '/agents/runs',
    );
    expect(screen.getByRole('link', { name: '1 waiting' })).toHaveAttribute(
      'href',
      '/agents/runs?phase=Waiting',
    );
    expect(screen.getByTestId('Pending approvals')).toHaveTextContent('3+');
    expect(
      screen.getByRole('link', { name: 'Pending approvals' }),
    ).toHaveAttribute('href', '/agents/approvals');
    expect(screen.getByTestId('Ready stacks')).toHaveTextContent('2');
    expect(screen.getByText('1 with warnings · 1 invalid')).toBeInTheDocument();

    running = 0;
    await waitFor(() =>
      expect(screen.getByTestId('Active runs')).toHaveTextContent('1'),
    );
  });
});
