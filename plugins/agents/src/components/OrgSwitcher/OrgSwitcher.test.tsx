import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, within } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { stackFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { OrgSwitcher, useSelectedOrg } from './OrgSwitcher';

const Location = () => {
  const { search } = useLocation();
  return <div aria-label="search">{search}</div>;
};

const Selected = () => (
  <div aria-label="selected">{useSelectedOrg() ?? 'all'}</div>
);

function renderSwitcher(route: string, listStacks: AgentsApi['listStacks']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listStacks }]]}>
      <OrgSwitcher seen={['initech']} resets={['stack']} />
      <Selected />
      <Location />
    </TestApiProvider>,
    { routeEntries: [route] },
  );
}

describe('OrgSwitcher', () => {
  it('offers all orgs and the orgs of the visible stacks and listed objects, kept in the URL', async () => {
    await renderSwitcher(
      '/agents/runs?namespace=acme&stack=demo&phase=Failed',
      async () => ({
        items: [
          stackFixture('demo', 'Ready'),
          stackFixture('other', 'Ready', '', 'globex'),
        ],
        resourceVersion: '1',
      }),
    );
    expect(screen.getByLabelText('selected')).toHaveTextContent('acme');
    fireEvent.mouseDown(screen.getByRole('button', { name: /acme/ }));
    const options = within(await screen.findByRole('listbox'));
    expect(
      (await options.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['All orgs', 'acme', 'globex', 'initech']);

    fireEvent.click(options.getByRole('option', { name: 'globex' }));
    expect(screen.getByLabelText('search')).toHaveTextContent(
      '?namespace=globex&phase=Failed',
    );
    expect(screen.getByLabelText('selected')).toHaveTextContent('globex');

    fireEvent.mouseDown(screen.getByRole('button', { name: /globex/ }));
    fireEvent.click(
      within(await screen.findByRole('listbox')).getByRole('option', {
        name: 'All orgs',
      }),
    );
    expect(screen.getByLabelText('search')).toHaveTextContent('?phase=Failed');
    expect(screen.getByLabelText('selected')).toHaveTextContent('all');
  });

  it('still offers the listed orgs when the stacks cannot be read', async () => {
    await renderSwitcher('/agents/workspaces', async () => {
      throw new Error('forbidden');
    });
    fireEvent.mouseDown(screen.getByRole('button', { name: /All orgs/ }));
    const options = within(await screen.findByRole('listbox'));
    expect(options.getAllByRole('option').map(o => o.textContent)).toEqual([
      'All orgs',
      'initech',
    ]);
  });
});
