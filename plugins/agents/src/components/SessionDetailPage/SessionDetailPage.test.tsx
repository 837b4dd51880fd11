import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  AGENTS_SIGNAL_CHANNEL,
  AgentsObject,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { attemptFixture, runFixture } from '../../__testUtils__/fixtures';
import { FakeRunEventLog } from '../../__testUtils__/FakeRunEventLog';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { sessionFixture } from '../../__testUtils__/sessionFixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { SessionDetailPage } from './SessionDetailPage';

async function notFound(name: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotFoundError', message: `${name} not found` },
        response: { statusCode: 404 },
      }),
      { status: 404, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/**
 * Run run-1: attempt 1 opened runtime session sess-1, attempt 2 continued it, attempt 3 forked
 * it into sess-2. Session sess-1 is attempts 1 and 2.
 */
class FakeSession {
  log = new FakeRunEventLog('run-1-1');
  run = runFixture('run-1', {
    status: {
      phase: 'Failed',
      reason: 'Failed',
      runtime: 'scripted',
      currentAttempt: 'run-1-3',
      session: 'sess-2',
    },
  });
  records = [
    sessionFixture('run-1-1', { created: '2026-01-01T10:00:00.000Z' }),
    sessionFixture('run-1-2', { created: '2026-01-01T10:01:00.000Z' }),
    sessionFixture('run-1-3', {
      created: '2026-01-01T10:02:00.000Z',
      status: { state: 'idle', sessionId: 'sess-2' },
    }),
  ];
  attempts = [
    attemptFixture('run-1-3', 'run-1', {
      spec: { kind: 'fork', sessionId: 'sess-1', previousAttempt: 'run-1-2' },
      status: { phase: 'Failed', sessionId: 'sess-2' },
    }),
    attemptFixture('run-1-1', 'run-1', {
      status: {
        phase: 'Succeeded',
        sessionId: 'sess-1',
        startTime: '2026-01-01T10:00:00.000Z',
        completionTime: '2026-01-01T10:00:42.000Z',
      },
    }),
    attemptFixture('run-1-2', 'run-1', {
      spec: {
        kind: 'continue',
        sessionId: 'sess-1',
        previousAttempt: 'run-1-1',
        prompt: 'Now add a test',
      },
      status: { phase: 'Succeeded', sessionId: 'sess-1' },
    }),
  ];
  workItemLinks: unknown[] = [
    {
      kind: 'WorkItemSessionLink',
      metadata: { name: 'link-1', namespace: 'acme' },
      spec: { workItem: 'payments-api-issue-7', session: 'run-1-2-session' },
    },
    {
      kind: 'WorkItemSessionLink',
      metadata: { name: 'link-2', namespace: 'acme' },
      spec: { workItem: 'other-issue', session: 'run-9-1-session' },
    },
  ];
  /** Runs dispatched to continue the session: none here. */
  continuingRuns: unknown[] = [];
  continueRefusal?: string;
  runAction = jest.fn(async () => this.run);

  constructor() {
    this.log.append({ type: 'text', text: 'First answer' });
    this.log.startAttempt('run-1-2');
    this.log.append({ type: 'text', text: 'Second answer' });
    this.log.startAttempt('run-1-3');
    this.log.append({ type: 'text', text: 'Forked answer' });
    this.log.finish('Failed');
  }

  api: Partial<AgentsApi> = {
    ...this.log.api,
    getResource: async (plural, _namespace, name) => {
      const record = this.records.find(r => r.metadata.name === name);
      if (plural !== 'agentsessions' || !record) throw await notFound(name);
      return record as unknown as AgentsObject;
    },
    listResources: async (plural, options) => {
      const items: unknown[] = {
        agentsessions: this.records,
        agentdispatchattempts: this.attempts,
        workitemsessionlinks: this.workItemLinks,
        agentdispatchruns: this.continuingRuns,
      }[plural] as unknown[];
      if (plural === 'agentdispatchruns') {
        expect(options?.labelSelector).toBe(
          'agents.krate.dev/runtime-session=sess-1',
        );
      } else if (plural !== 'workitemsessionlinks') {
        expect(options?.labelSelector).toBe('agents.krate.dev/run=run-1');
      }
      return {
        items: items as AgentsObject[],
        metadata: { resourceVersion: '1' },
      };
    },
    getRun: async () => this.run,
    getRunActions: async () => ({
      items: [
        {
          action: 'continue',
          permission: 'agents.run.continue',
          allowed: !this.continueRefusal,
          ...(this.continueRefusal ? { reason: this.continueRefusal } : {}),
        },
      ],
    }),
    runAction: this.runAction,
  };
}

function renderPage(
  api: Partial<AgentsApi>,
  name = 'run-1-1-session',
  signals?: FakeSignalApi,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [agentsApiRef, api],
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ]}
    >
      <Routes>
        <Route
          path="/agents/sessions/:namespace/:name"
          element={<SessionDetailPage pollIntervalMs={60_000} />}
        />
      </Routes>
    </TestApiProvider>,
    {
      routeEntries: [`/agents/sessions/acme/${name}`],
      mountedRoutes: { '/agents': rootRouteRef },
    },
  );
}

describe('SessionDetailPage', () => {
  it('shows the session, its attempts in order with their runs, and only their transcript', async () => {
    const fake = new FakeSession();
    await renderPage(fake.api);

    expect(
      await screen.findByRole('heading', { level: 1, name: 'run-1-1-session' }),
    ).toBeInTheDocument();
    expect(screen.getByText('scripted session sess-1')).toBeInTheDocument();
    const attempts = screen.getByRole('list', { name: 'Session attempts' });
    const items = within(attempts).getAllByRole('listitem');
    expect(items.map(item => item.getAttribute('aria-label'))).toEqual([
      'Attempt run-1-1',
      'Attempt run-1-2',
    ]);
    expect(within(items[0]).getByLabelText('Phase Succeeded')).toBeVisible();
    expect(within(items[0]).getByText(/42s/)).toBeInTheDocument();
    expect(
      within(items[1]).getByText('Follow-up: Now add a test'),
    ).toBeVisible();
    expect(
      within(items[1]).getByRole('link', { name: 'run-1' }),
    ).toHaveAttribute('href', '/agents/runs/run-1?namespace=acme');

    const log = screen.getByRole('log', { name: 'Run transcript' });
    expect(await within(log).findByText('Second answer')).toBeInTheDocument();
    expect(within(log).getByText('First answer')).toBeInTheDocument();
    expect(within(log).queryByText('Forked answer')).not.toBeInTheDocument();

    expect(screen.getByRole('link', { name: 'ws-1' })).toHaveAttribute(
      'href',
      '/agents/workspaces/acme/ws-1',
    );
    expect(
      screen.getByRole('link', { name: 'payments-api-issue-7' }),
    ).toHaveAttribute(
      'href',
      '/agents/resources/workitems/acme/payments-api-issue-7',
    );
    expect(
      screen.queryByRole('link', { name: 'other-issue' }),
    ).not.toBeInTheDocument();
    expect(screen.getByLabelText('Session state idle')).toBeInTheDocument();
    const crumbs = screen.getByLabelText('Session breadcrumbs');
    expect(within(crumbs).getByRole('link', { name: 'acme' })).toHaveAttribute(
      'href',
      '/agents/sessions?namespace=acme',
    );
  });

  it('continues the session through its latest run with the follow-up prompt', async () => {
    const fake = new FakeSession();
    await renderPage(fake.api);

    const button = await screen.findByRole('button', { name: 'Continue' });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      'POST /api/agents/runs/run-1/continue?namespace=acme',
    );
    fireEvent.change(within(dialog).getByLabelText('Follow-up prompt'), {
      target: { value: 'Also update the changelog' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Continue run' }),
    );
    await waitFor(() =>
      expect(fake.runAction).toHaveBeenCalledWith('run-1', 'continue', {
        namespace: 'acme',
        prompt: 'Also update the changelog',
      }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('disables Continue with the reason the server gives', async () => {
    const fake = new FakeSession();
    fake.continueRefusal =
      'You may not continue this run (agents.run.continue)';
    await renderPage(fake.api);
    await screen.findByRole('list', { name: 'Session attempts' });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Continue' })).toBeDisabled(),
    );
  });

  it('says why the work item links could not be read, and shows the rest', async () => {
    const fake = new FakeSession();
    const api: Partial<AgentsApi> = {
      ...fake.api,
      listResources: async (plural, options) => {
        if (plural === 'workitemsessionlinks') {
          throw new Error('agents.work-item-session-link.read is not allowed');
        }
        return fake.api.listResources!(plural, options);
      },
    };
    await renderPage(api);
    expect(
      await screen.findByText(
        /Could not read the work item links: agents.work-item-session-link.read is not allowed/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('list', { name: 'Session attempts' }),
    ).toBeVisible();
  });

  it('shows progress while the session loads', async () => {
    await renderPage({ getResource: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('says when there is no such session', async () => {
    const fake = new FakeSession();
    await renderPage(fake.api, 'run-7-1-session');
    expect(
      await screen.findByText('No session named run-7-1-session'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All sessions' })).toHaveAttribute(
      'href',
      '/agents/sessions?namespace=acme',
    );
  });

  it('shows the error when the session cannot be read', async () => {
    await renderPage({
      getResource: async () => {
        throw new Error('backend unavailable');
      },
    });
    expect(
      await screen.findByText(/Could not load the session/),
    ).toBeInTheDocument();
  });

  it('reads again when its run changes while the first read is in flight', async () => {
    const fake = new FakeSession();
    const signals = new FakeSignalApi();
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    let reads = 0;
    const api: Partial<AgentsApi> = {
      ...fake.api,
      getRun: async () => {
        reads += 1;
        if (reads === 1) await held;
        return fake.run;
      },
    };
    await renderPage(api, 'run-1-1-session', signals);
    await waitFor(() => expect(reads).toBe(1));

    // The run ends before the page knows it is the session's.
    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentDispatchRun',
      namespace: 'acme',
      name: 'run-1',
      type: 'MODIFIED',
    });
    release();
    await waitFor(() => expect(reads).toBe(2));
  });
});
