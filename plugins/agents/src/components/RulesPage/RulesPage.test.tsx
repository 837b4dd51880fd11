import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { deliveryFixture } from '../../__testUtils__/deliveryFixtures';
import { mockPermissions } from '../../__testUtils__/permissions';
import { ruleFixture } from '../../__testUtils__/ruleFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RulesPage } from './RulesPage';

const listStacks: AgentsApi['listStacks'] = async () => ({
  items: [],
  resourceVersion: '1',
});

const noDeliveries: AgentsApi['listDeliveries'] = async () => ({
  items: [],
  resourceVersion: '1',
});

function renderPage(
  listRules: AgentsApi['listRules'],
  route = '/agents/rules',
  listDeliveries = noDeliveries,
  pollIntervalMs = 60_000,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        mockPermissions(),
        [agentsApiRef, { listRules, listStacks, listDeliveries }],
      ]}
    >
      <RulesPage pollIntervalMs={pollIntervalMs} />
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const twoRules: AgentsApi['listRules'] = async () => ({
  resourceVersion: '9',
  items: [
    ruleFixture('checkout-agent-ready', {
      status: {
        lastExecution: {
          time: '2026-01-02T08:30:00.000Z',
          outcome: 'coalesced',
          run: 'scripted-demo-abc12',
        },
        counts: { dispatched: 3, coalesced: 1, notMatched: 7 },
      },
    }),
    ruleFixture('nightly-audit', {
      namespace: 'globex',
      spec: {
        lifecycle: 'paused',
        source: { events: ['schedule', 'push'], schedule: '0 3 * * *' },
        stack: 'auditor',
        matchers: [],
      },
    }),
  ],
});

const rowOf = (name: string) =>
  screen.getByRole('link', { name }).closest('tr') as HTMLElement;

describe('RulesPage', () => {
  it('lists each rule with what it listens to, its stack and its last outcome', async () => {
    await renderPage(twoRules);

    expect(
      screen.getByRole('heading', { level: 1, name: 'Trigger rules' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'checkout-agent-ready' }),
    ).toHaveAttribute('href', '/agents/rules/acme/checkout-agent-ready');

    const checkout = rowOf('checkout-agent-ready');
    expect(within(checkout).getByLabelText('Lifecycle active')).toBeVisible();
    expect(checkout).toHaveTextContent('label');
    expect(checkout).toHaveTextContent('acme/checkout-web');
    expect(
      within(checkout).getByRole('link', { name: 'scripted-demo' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
    expect(
      within(checkout).getByLabelText('Outcome coalesced'),
    ).toBeInTheDocument();
    expect(checkout).toHaveTextContent(
      new Date('2026-01-02T08:30:00.000Z').toLocaleString(),
    );
    expect(checkout).toHaveTextContent(
      '3 dispatched · 1 coalesced · 0 rejected · 7 not matched',
    );

    const nightly = rowOf('nightly-audit');
    expect(nightly).toHaveTextContent('globex');
    expect(within(nightly).getByLabelText('Lifecycle paused')).toBeVisible();
    expect(nightly).toHaveTextContent('schedule, push');
    expect(nightly).toHaveTextContent('every repository of the org');
    expect(
      within(nightly).getByRole('link', { name: 'auditor' }),
    ).toHaveAttribute('href', '/agents/stacks/globex/auditor');
    expect(nightly).toHaveTextContent('no deliveries yet');
  });

  it('keeps the table steady across refreshes, without material-table warnings', async () => {
    const env = process.env.NODE_ENV;
    // material-table checks rows and columns only in development builds.
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn');
    try {
      const listRules = jest.fn(twoRules);
      await renderPage(listRules, '/agents/rules', noDeliveries, 200);
      await screen.findByText('checkout-agent-ready');
      await waitFor(() =>
        expect(listRules.mock.calls.length).toBeGreaterThanOrEqual(3),
      );
      const tableWarnings = warn.mock.calls
        .map(([message]) => String(message))
        .filter(message => /unique id|material table/.test(message));
      expect(tableWarnings).toEqual([]);
    } finally {
      warn.mockRestore();
      process.env.NODE_ENV = env;
    }
  }, 15_000);

  it('lists the rules of the org in the URL, and says when it has none', async () => {
    const listRules = jest.fn<
      ReturnType<AgentsApi['listRules']>,
      Parameters<AgentsApi['listRules']>
    >(async () => ({ items: [], resourceVersion: '1' }));
    await renderPage(listRules, '/agents/rules?namespace=globex');
    expect(
      await screen.findByText('No trigger rules in globex'),
    ).toBeInTheDocument();
    expect(listRules).toHaveBeenCalledWith({ namespace: 'globex', limit: 500 });
    expect(screen.getByRole('tab', { name: 'Rules' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('says so when no org has rules', async () => {
    const listRules = jest.fn(async () => ({
      items: [],
      resourceVersion: '1',
    }));
    await renderPage(listRules);
    expect(await screen.findByText('No trigger rules yet')).toBeInTheDocument();
    expect(listRules).toHaveBeenCalledWith({
      namespace: undefined,
      limit: 500,
    });
  });

  it('shows the error when rules cannot be listed', async () => {
    await renderPage(async () => {
      throw new Error('backend down');
    });
    expect(
      await screen.findByText(/Could not list trigger rules/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('shows the recent webhook deliveries of the chosen org below the rules', async () => {
    const listDeliveries = jest.fn<
      ReturnType<AgentsApi['listDeliveries']>,
      Parameters<AgentsApi['listDeliveries']>
    >(async () => ({
      items: [
        deliveryFixture('github-9', {
          namespace: 'globex',
          status: { state: 'failed', reason: 'no rule of globex matched' },
        }),
      ],
      resourceVersion: '3',
    }));
    await renderPage(
      twoRules,
      '/agents/rules?namespace=globex',
      listDeliveries,
    );

    const deliveries = await screen.findByRole('table', {
      name: 'Recent webhook deliveries',
    });
    const row = within(deliveries).getByRole('row', { name: 'github-9' });
    expect(within(row).getByLabelText('State failed')).toBeVisible();
    expect(row).toHaveTextContent('no rule of globex matched');
    expect(listDeliveries).toHaveBeenCalledWith({
      namespace: 'globex',
      limit: 25,
    });
    expect(
      deliveries.compareDocumentPosition(
        screen.getByRole('link', { name: 'nightly-audit' }),
      ) & Node.DOCUMENT_POSITION_PRECEDING,
    ).toBeTruthy();
  });

  it('still shows the deliveries when no rule exists yet', async () => {
    await renderPage(
      async () => ({ items: [], resourceVersion: '1' }),
      '/agents/rules',
      async () => ({
        items: [deliveryFixture('github-1')],
        resourceVersion: '1',
      }),
    );
    expect(await screen.findByText('No trigger rules yet')).toBeInTheDocument();
    expect(
      await screen.findByRole('row', { name: 'github-1' }),
    ).toBeInTheDocument();
  });
});
