import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { rootRouteRef } from '../../routes';
import { AgentsNav } from './AgentsNav';

describe('AgentsNav', () => {
  it('links every section and selects the one of the current page', async () => {
    await renderInTestApp(<AgentsNav />, {
      routeEntries: ['/agents/runs/run-1'],
      mountedRoutes: { '/agents': rootRouteRef },
    });
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'href',
      '/agents',
    );
    expect(screen.getByRole('tab', { name: 'Approvals' })).toHaveAttribute(
      'href',
      '/agents/approvals',
    );
    expect(screen.getByRole('tab', { name: 'Workspaces' })).toHaveAttribute(
      'href',
      '/agents/workspaces',
    );
    expect(screen.getByRole('tab', { name: 'Rules' })).toHaveAttribute(
      'href',
      '/agents/rules',
    );
    expect(screen.getByRole('tab', { name: 'Runs' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute(
      'aria-selected',
      'false',
    );
  });

  it('keeps the chosen org on the section links', async () => {
    await renderInTestApp(<AgentsNav />, {
      routeEntries: ['/agents/workspaces?namespace=globex&state=idle'],
      mountedRoutes: { '/agents': rootRouteRef },
    });
    expect(screen.getByRole('tab', { name: 'Runs' })).toHaveAttribute(
      'href',
      '/agents/runs?namespace=globex',
    );
    expect(screen.getByRole('tab', { name: 'Stacks' })).toHaveAttribute(
      'href',
      '/agents/stacks?namespace=globex',
    );
    expect(screen.getByRole('tab', { name: 'Rules' })).toHaveAttribute(
      'href',
      '/agents/rules?namespace=globex',
    );
    expect(screen.getByRole('tab', { name: 'Workspaces' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('selects Memory on every memory page and keeps the org on its link', async () => {
    await renderInTestApp(<AgentsNav />, {
      routeEntries: ['/agents/memory/graph?namespace=acme&tag=v1'],
      mountedRoutes: { '/agents': rootRouteRef },
    });
    expect(screen.getByRole('tab', { name: 'Memory' })).toHaveAttribute(
      'href',
      '/agents/memory?namespace=acme',
    );
    expect(screen.getByRole('tab', { name: 'Memory' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('selects Rules on a rule page', async () => {
    await renderInTestApp(<AgentsNav />, {
      routeEntries: ['/agents/rules/acme/checkout-agent-ready'],
      mountedRoutes: { '/agents': rootRouteRef },
    });
    expect(screen.getByRole('tab', { name: 'Rules' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Runs' })).toHaveAttribute(
      'aria-selected',
      'false',
    );
  });
});
