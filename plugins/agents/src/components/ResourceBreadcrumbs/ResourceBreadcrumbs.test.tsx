import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { rootRouteRef } from '../../routes';
import { ResourceBreadcrumbs } from './ResourceBreadcrumbs';

describe('ResourceBreadcrumbs', () => {
  it('links the org and the repository to the list they filter', async () => {
    await renderInTestApp(
      <ResourceBreadcrumbs
        list="workspaces"
        namespace="acme"
        repository="acme/payments-api"
        current="ws-1"
        label="Workspace breadcrumbs"
      />,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    const crumbs = screen.getByLabelText('Workspace breadcrumbs');
    expect(within(crumbs).getByRole('link', { name: 'acme' })).toHaveAttribute(
      'href',
      '/agents/workspaces?namespace=acme',
    );
    expect(
      within(crumbs).getByRole('link', { name: 'acme/payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/workspaces?namespace=acme&repository=acme%2Fpayments-api',
    );
    expect(within(crumbs).getByText('ws-1')).toBeInTheDocument();
  });

  it('leaves the repository out for resources without one', async () => {
    await renderInTestApp(
      <ResourceBreadcrumbs
        list="stacks"
        namespace="globex"
        current="reviewer"
        label="Stack breadcrumbs"
      />,
      { mountedRoutes: { '/agents': rootRouteRef } },
    );
    const crumbs = screen.getByLabelText('Stack breadcrumbs');
    expect(within(crumbs).getAllByRole('link')).toHaveLength(1);
    expect(
      within(crumbs).getByRole('link', { name: 'globex' }),
    ).toHaveAttribute('href', '/agents/stacks?namespace=globex');
  });
});
