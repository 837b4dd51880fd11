import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { screen, within } from '@testing-library/react';
import { deliveryFixture } from '../../__testUtils__/deliveryFixtures';
import { ruleFixture } from '../../__testUtils__/ruleFixtures';
import { AgentsApi, agentsApiRef, DeliveryListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { TriggerHealthCard } from './TriggerHealthCard';

const counts = (rejected: number) => ({
  dispatched: 3,
  coalesced: 0,
  rejected,
  notMatched: 1,
});

function renderCard(api: Partial<AgentsApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, api]]}>
      <TriggerHealthCard pollIntervalMs={60_000} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('TriggerHealthCard', () => {
  it('lists failed deliveries, rules with rejections and the next scheduled firing', async () => {
    const deliveryCalls: DeliveryListFilters[] = [];
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    const sooner = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 3600_000).toISOString();
    await renderCard({
      listDeliveries: async filters => {
        deliveryCalls.push(filters ?? {});
        return {
          items: [
            deliveryFixture('d-1', {
              status: {
                state: 'failed',
                reason: 'The delivery could not be processed: timeout',
              },
            }),
          ],
          resourceVersion: '1',
        };
      },
      listRules: async () => ({
        items: [
          ruleFixture('quiet', { status: { counts: counts(0) } }),
          ruleFixture('picky', {
            status: {
              counts: counts(2),
              lastExecution: {
                time: past,
                outcome: 'rejected',
                reason: 'stack missing',
              },
            },
          }),
          ruleFixture('pickier', { status: { counts: counts(5) } }),
          ruleFixture('nightly', {
            status: { nextScheduledTime: later } as AgentTriggerRule['status'],
          }),
          ruleFixture('hourly', {
            status: { nextScheduledTime: sooner } as AgentTriggerRule['status'],
          }),
          ruleFixture('paused', {
            spec: { lifecycle: 'paused' },
            status: { nextScheduledTime: past } as AgentTriggerRule['status'],
          }),
        ],
        resourceVersion: '1',
      }),
    });

    const failed = await screen.findByRole('list', {
      name: 'Failed deliveries',
    });
    expect(deliveryCalls).toEqual([{ phase: 'failed', limit: 5 }]);
    expect(failed).toHaveTextContent(
      'github issues.labeled on acme/checkout-web',
    );
    expect(failed).toHaveTextContent(
      'The delivery could not be processed: timeout',
    );
    const rejecting = screen.getByRole('list', {
      name: 'Rules with rejections',
    });
    expect(
      within(rejecting)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      'acme/pickier: 5 rejected',
      'acme/picky: 2 rejected (last: stack missing)',
    ]);
    expect(
      within(rejecting).getByRole('link', { name: 'acme/picky' }),
    ).toHaveAttribute('href', '/agents/rules/acme/picky');
    expect(screen.getByRole('link', { name: 'acme/hourly' })).toHaveAttribute(
      'href',
      '/agents/rules/acme/hourly',
    );
    expect(
      screen.queryByRole('link', { name: 'acme/nightly' }),
    ).not.toBeInTheDocument();
  });

  it('says when all is well', async () => {
    await renderCard({
      listDeliveries: async () => ({ items: [], resourceVersion: '1' }),
      listRules: async () => ({
        items: [ruleFixture('quiet', { status: { counts: counts(0) } })],
        resourceVersion: '1',
      }),
    });
    expect(await screen.findByText('None failed.')).toBeInTheDocument();
    expect(
      screen.getByText('No rule has rejected an event.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No active rule has a scheduled firing.'),
    ).toBeInTheDocument();
  });

  it('says when the rules or deliveries cannot be read', async () => {
    await renderCard({
      listDeliveries: async () => {
        throw new Error('permission denied');
      },
      listRules: async () => ({ items: [], resourceVersion: '1' }),
    });
    expect(
      await screen.findByText(
        'Could not read the trigger rules and deliveries: permission denied',
      ),
    ).toBeInTheDocument();
  });
});
