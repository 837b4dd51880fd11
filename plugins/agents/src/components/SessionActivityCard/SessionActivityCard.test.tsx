import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { sessionFixture } from '../../__testUtils__/sessionFixtures';
import { AgentsApi, agentsApiRef, SessionListFilters } from '../../api';
import { rootRouteRef } from '../../routes';
import { SessionActivityCard } from './SessionActivityCard';

function renderCard(listSessions: AgentsApi['listSessions']) {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, { listSessions }]]}>
      <SessionActivityCard pollIntervalMs={60_000} />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('SessionActivityCard', () => {
  it('counts the active sessions and links the recent ones', async () => {
    const calls: SessionListFilters[] = [];
    const active = sessionFixture('run-a-2', {
      created: '2026-01-01T10:05:00.000Z',
      status: { state: 'active', sessionId: 'sess-a' },
    });
    await renderCard(async filters => {
      calls.push(filters ?? {});
      return filters?.state === 'active'
        ? { items: [active], continue: 'more', resourceVersion: '1' }
        : {
            items: [
              active,
              sessionFixture('run-a-1', {
                status: { state: 'idle', sessionId: 'sess-a' },
              }),
              sessionFixture('run-b-1', {
                created: '2026-01-01T09:00:00.000Z',
                spec: { stack: 'memory-scribe', repository: undefined },
                status: { state: 'idle', sessionId: 'sess-b' },
              }),
            ],
            resourceVersion: '1',
          };
    });

    expect(await screen.findByTestId('Active sessions')).toHaveTextContent(
      '1+',
    );
    expect(calls).toContainEqual({ state: 'active', limit: 500 });
    const recent = screen.getByRole('list', { name: 'Recent sessions' });
    const links = within(recent).getAllByRole('link');
    expect(links.map(l => [l.textContent, l.getAttribute('href')])).toEqual([
      [
        'scripted-demo on acme/payments-api',
        '/agents/sessions/acme/run-a-1-session',
      ],
      ['memory-scribe', '/agents/sessions/acme/run-b-1-session'],
    ]);
    expect(screen.getByRole('link', { name: 'All sessions' })).toHaveAttribute(
      'href',
      '/agents/sessions',
    );
  });

  it('says when there are no sessions yet', async () => {
    await renderCard(async () => ({ items: [], resourceVersion: '1' }));
    expect(await screen.findByText(/No sessions yet/)).toBeInTheDocument();
    expect(screen.getByTestId('Active sessions')).toHaveTextContent('0');
  });

  it('says when the sessions cannot be read', async () => {
    await renderCard(async () => {
      throw new Error('permission denied');
    });
    expect(
      await screen.findByText('Could not read the sessions: permission denied'),
    ).toBeInTheDocument();
  });
});
