import { ResponseError } from '@backstage/errors';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AGENTS_SIGNAL_CHANNEL,
  WebhookDelivery,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { deliveryFixture } from '../../__testUtils__/deliveryFixtures';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { mockPermissions } from '../../__testUtils__/permissions';
import { AgentsApi, agentsApiRef, ItemList } from '../../api';
import { RecentDeliveries } from './RecentDeliveries';

type ListDeliveries = AgentsApi['listDeliveries'];
type ReplayDelivery = AgentsApi['replayDelivery'];

function renderCard(
  api: { listDeliveries: ListDeliveries; replayDelivery?: ReplayDelivery },
  options: {
    namespace?: string;
    denied?: string[];
    signals?: FakeSignalApi;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        mockPermissions(options.denied),
        [agentsApiRef, api],
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ]}
    >
      <RecentDeliveries namespace={options.namespace} />
    </TestApiProvider>,
  );
}

const page = (
  items: WebhookDelivery[],
  more?: string,
): ItemList<WebhookDelivery> => ({
  items,
  resourceVersion: '7',
  ...(more ? { continue: more } : {}),
});

const listOf = (...items: WebhookDelivery[]) =>
  jest.fn<ReturnType<ListDeliveries>, Parameters<ListDeliveries>>(async () =>
    page(items),
  );

const rowOf = (name: string) =>
  screen.getByRole('row', { name }) as HTMLElement;

/** The row's Replay button once the permission is known to allow it. */
async function replayButtonOf(name: string) {
  const button = within(await screen.findByRole('row', { name })).getByRole(
    'button',
    { name: 'Replay' },
  );
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

async function conflict(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message },
        response: { statusCode: 409 },
      }),
      {
        status: 409,
        statusText: 'Conflict',
        headers: { 'content-type': 'application/json' },
      },
    ) as any,
  );
}

describe('RecentDeliveries', () => {
  it('lists each delivery with its endpoint, event, state, executions, replay and reason', async () => {
    await renderCard({
      listDeliveries: async () =>
        page(
          [
            deliveryFixture('github-3', {
              spec: { replayOf: 'github-1' },
              status: {
                state: 'processed',
                executions: ['checkout-agent-ready-x2', 'nightly-audit-x7'],
              },
            }),
            deliveryFixture('gitea-2', {
              namespace: 'globex',
              spec: {
                source: 'gitea',
                eventType: 'push',
                repository: undefined,
                receivedTime: '2026-01-02T07:00:00.000Z',
              },
              status: {
                state: 'failed',
                reason: 'payload is not valid JSON',
              },
            }),
            deliveryFixture('github-1', { status: { state: 'received' } }),
          ],
          'more',
        ),
    });

    const replayed = await screen.findByRole('row', { name: 'github-3' });
    expect(replayed).toHaveTextContent(
      new Date('2026-01-02T08:30:00.000Z').toLocaleString(),
    );
    expect(replayed).toHaveTextContent('replay of github-1');
    expect(replayed).toHaveTextContent('acme');
    expect(replayed).toHaveTextContent('github');
    expect(replayed).toHaveTextContent('issues.labeled');
    expect(replayed).toHaveTextContent('acme/checkout-web');
    expect(within(replayed).getByLabelText('State processed')).toBeVisible();
    expect(replayed).toHaveTextContent(
      '2checkout-agent-ready-x2, nightly-audit-x7',
    );

    const failed = rowOf('gitea-2');
    expect(failed).toHaveTextContent('globex');
    expect(failed).toHaveTextContent('gitea');
    expect(failed).toHaveTextContent('push');
    expect(failed).toHaveTextContent('—');
    expect(within(failed).getByLabelText('State failed')).toBeVisible();
    expect(failed).toHaveTextContent('payload is not valid JSON');
    expect(failed).not.toHaveTextContent('replay of');

    const received = rowOf('github-1');
    expect(within(received).getByLabelText('State received')).toBeVisible();
    expect(received).not.toHaveTextContent('replay of');

    expect(
      screen.getByText('The 25 newest deliveries; older ones are not shown.'),
    ).toBeInTheDocument();
  });

  it('says nothing of older deliveries when there are none', async () => {
    await renderCard({ listDeliveries: listOf(deliveryFixture('github-1')) });
    await screen.findByRole('row', { name: 'github-1' });
    expect(screen.queryByText(/older ones are not shown/)).toBeNull();
  });

  it('lists the 25 newest deliveries of the chosen org, or of all', async () => {
    const inGlobex = listOf();
    await renderCard({ listDeliveries: inGlobex }, { namespace: 'globex' });
    expect(
      await screen.findByText('No webhook deliveries in globex yet'),
    ).toBeInTheDocument();
    expect(inGlobex).toHaveBeenCalledWith({ namespace: 'globex', limit: 25 });

    const everywhere = listOf();
    await renderCard({ listDeliveries: everywhere });
    expect(
      await screen.findByText('No webhook deliveries yet'),
    ).toBeInTheDocument();
    expect(everywhere).toHaveBeenCalledWith({
      namespace: undefined,
      limit: 25,
    });
  });

  it('replays a delivery in its org, reads the list again and names the new delivery', async () => {
    const original = deliveryFixture('github-1', { namespace: 'globex' });
    const replay = deliveryFixture('github-2', {
      namespace: 'globex',
      spec: { replayOf: 'github-1' },
      status: { state: 'received' },
    });
    let items = [original];
    const listDeliveries = jest.fn<
      ReturnType<ListDeliveries>,
      Parameters<ListDeliveries>
    >(async () => page(items));
    const replayDelivery = jest.fn<
      ReturnType<ReplayDelivery>,
      Parameters<ReplayDelivery>
    >(async () => {
      items = [replay, original];
      return replay;
    });
    await renderCard({ listDeliveries, replayDelivery });

    fireEvent.click(await replayButtonOf('github-1'));

    expect(
      await screen.findByText(
        'Replaying github-1 as github-2; it is processed in the background.',
      ),
    ).toBeInTheDocument();
    expect(replayDelivery).toHaveBeenCalledWith('github-1', 'globex');
    expect(replayDelivery).toHaveBeenCalledTimes(1);
    const added = await screen.findByRole('row', { name: 'github-2' });
    expect(added).toHaveTextContent('replay of github-1');
    expect(within(added).getByLabelText('State received')).toBeVisible();
    expect(listDeliveries).toHaveBeenCalledTimes(2);
  });

  it("shows the server's message when the payload is no longer kept", async () => {
    const message =
      'WebhookDelivery acme/github-old: its payload is no longer kept (agents.webhooks.payloadRetentionDays is 7)';
    const listDeliveries = listOf(deliveryFixture('github-old'));
    const replayDelivery = jest.fn<
      ReturnType<ReplayDelivery>,
      Parameters<ReplayDelivery>
    >(async () => {
      throw await conflict(message);
    });
    await renderCard({ listDeliveries, replayDelivery });

    fireEvent.click(await replayButtonOf('github-old'));

    expect(
      await screen.findByText(`Could not replay github-old: ${message}`),
    ).toBeInTheDocument();
    expect(replayDelivery).toHaveBeenCalledWith('github-old', 'acme');
    expect(screen.queryByText(/^Replaying/)).toBeNull();
    expect(rowOf('github-old')).toBeInTheDocument();
  });

  it('disables Replay, with the reason, without the permission to create deliveries', async () => {
    // Other deliveries than the other tests: permission decisions are cached per resource.
    const replayDelivery = jest.fn<
      ReturnType<ReplayDelivery>,
      Parameters<ReplayDelivery>
    >();
    await renderCard(
      {
        listDeliveries: listOf(deliveryFixture('locked-1')),
        replayDelivery,
      },
      { denied: ['agents.webhook-delivery.create'] },
    );
    const row = await screen.findByRole('row', { name: 'locked-1' });
    const button = within(row).getByRole('button', { name: 'Replay' });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        'You may not replay webhook delivery acme/locked-1 (agents.webhook-delivery.create)',
      ),
    );
    expect(button).toBeDisabled();
    fireEvent.click(button);
    expect(replayDelivery).not.toHaveBeenCalled();
  });

  it('says where forges send deliveries when there are none', async () => {
    await renderCard({ listDeliveries: listOf() });
    expect(
      await screen.findByText('No webhook deliveries yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/\/api\/agents\/webhooks\/<endpoint>/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the error when deliveries cannot be listed', async () => {
    await renderCard({
      listDeliveries: async () => {
        throw new Error('deliveries table is missing');
      },
    });
    expect(
      await screen.findByText(/Could not list webhook deliveries/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/deliveries table is missing/).length,
    ).toBeGreaterThan(0);
  });

  it("reads again when a delivery of the chosen org is signalled, not another org's", async () => {
    const signals = new FakeSignalApi();
    const listDeliveries = listOf(
      deliveryFixture('github-1', { namespace: 'globex' }),
    );
    await renderCard({ listDeliveries }, { namespace: 'globex', signals });
    await screen.findByRole('row', { name: 'github-1' });
    expect(screen.getByText(/updates pushed \(signals\)/)).toBeInTheDocument();
    expect(listDeliveries).toHaveBeenCalledTimes(1);

    const change = { kind: 'WebhookDelivery', name: 'github-2', type: 'ADDED' };
    signals.publish(AGENTS_SIGNAL_CHANNEL, { ...change, namespace: 'acme' });
    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentTriggerRule',
      namespace: 'globex',
      name: 'r',
      type: 'MODIFIED',
    });
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(listDeliveries).toHaveBeenCalledTimes(1);

    signals.publish(AGENTS_SIGNAL_CHANNEL, { ...change, namespace: 'globex' });
    await waitFor(() => expect(listDeliveries).toHaveBeenCalledTimes(2));
  });
});
