import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { mockPermissions } from '../../__testUtils__/permissions';
import { ResponseError } from '@backstage/errors';
import {
  act,
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  AgentDispatchRun,
  AgentReviewArtifact,
  AUDIT_GENESIS_DIGEST,
} from '@krate/plugin-agents-common';
import { artifactFixture } from '../../__testUtils__/artifactFixtures';
import { FakeRunEventLog } from '../../__testUtils__/FakeRunEventLog';
import {
  approvalFixture,
  attemptFixture,
  runFixture,
} from '../../__testUtils__/fixtures';
import { runMemoryFixture } from '../../__testUtils__/memoryUpdateFixtures';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunDetailPage } from './RunDetailPage';

// The run page renders a dozen cards; on a loaded CI machine a find takes longer than the defaults.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 10_000 });

const PATCH =
  'diff --git a/src/rounding.js b/src/rounding.js\n--- /dev/null\n+++ b/src/rounding.js\n@@ -0,0 +1,1 @@\n+exports.toCents = amount => Math.round(amount * 100);\n';

/** A run the test moves through its phases, served as the backend would. */
class FakeRun {
  run: AgentDispatchRun = runFixture('run-1', {
    spec: { ref: 'main', workspace: 'ws-run-1' },
    status: {
      phase: 'Running',
      reason: 'Running',
      runtime: 'scripted',
      session: 'sess-1',
      currentAttempt: 'run-1-1',
      profileDigest: 'sha256:58b1b58f98e0fcfcd210e7bfc1cb2e4b87ddc03a',
      startTime: '2026-01-01T10:00:00.000Z',
    },
  });
  attempts = [attemptFixture('run-1-1', 'run-1')];
  workspace = workspaceFixture('ws-run-1');
  log = new FakeRunEventLog('run-1-1');
  actions: string[] = [];
  /** The AgentReviewArtifacts the backend recorded for the run. */
  artifacts: AgentReviewArtifact[] = [];

  setStatus(status: Partial<NonNullable<AgentDispatchRun['status']>>) {
    this.run = { ...this.run, status: { ...this.run.status, ...status } };
  }

  api: Partial<AgentsApi> = {
    ...this.log.api,
    getRun: async () => this.run,
    getWorkspace: async () => this.workspace,
    listArtifacts: async () => ({ items: this.artifacts }),
    listWriteBacks: async () => ({ items: [] }),
    getArtifactContent: async () => PATCH,
    listResources: async () => ({
      items: this.attempts as any,
      metadata: { resourceVersion: '1' },
    }),
    getResource: async (plural, _ns, name) => {
      if (plural === 'agentsessions') {
        return {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentSession',
          metadata: { name, namespace: 'acme' },
          spec: { runtime: 'scripted' },
          status: { state: 'active', sessionId: 'sess-1' },
        };
      }
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: `${name} not found` },
            response: { statusCode: 404 },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ),
      );
    },
    listApprovals: async () => ({
      items: [approvalFixture('ap-1')],
      resourceVersion: '1',
    }),
    listAuditRecords: async target => ({
      items:
        target.kind === 'AgentDispatchRun'
          ? [
              {
                id: '7',
                seq: 1,
                occurredAt: '2026-01-01T10:00:00.000Z',
                actor: 'service:agents',
                action: 'create',
                target,
                prevDigest: AUDIT_GENESIS_DIGEST,
                digest: 'sha256:1',
              },
            ]
          : [],
    }),
    verifyAuditChain: async org => ({ org, ok: true, records: 1 }),
    // As the server answers: cancel while active, the others once finished.
    getRunActions: async () => {
      const finished = ['Succeeded', 'Failed', 'Cancelled'].includes(
        this.run.status?.phase ?? '',
      );
      return {
        items: (['cancel', 'retry', 'resume', 'fork', 'continue'] as const).map(
          action => {
            const allowed = action === 'cancel' ? !finished : finished;
            return {
              action,
              permission: `agents.run.${action}`,
              allowed,
              ...(allowed ? {} : { reason: 'not in this phase' }),
            };
          },
        ),
      };
    },
    runAction: async (_name, action) => {
      this.actions.push(action);
      this.log.startAttempt('run-1-2');
      this.attempts = [
        ...this.attempts,
        attemptFixture('run-1-2', 'run-1', {
          spec: { kind: 'retry', previousAttempt: 'run-1-1' },
          status: { phase: 'Queued', reason: 'Queued' },
        }),
      ];
      this.setStatus({
        phase: 'Queued',
        reason: 'Queued',
        currentAttempt: 'run-1-2',
      });
      return this.run;
    },
  };
}

function renderPage(fake: FakeRun, route = '/agents/runs/run-1') {
  return renderInTestApp(
    <TestApiProvider apis={[[agentsApiRef, fake.api], mockPermissions()]}>
      <Routes>
        <Route
          path="/agents/runs/:name"
          element={<RunDetailPage pollIntervalMs={300} />}
        />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [route], mountedRoutes: { '/agents': rootRouteRef } },
  );
}

describe('RunDetailPage', () => {
  it('shows the run with its breadcrumbs and links, and its transcript live', async () => {
    const fake = new FakeRun();
    fake.log.append(
      { type: 'session_started', sessionId: 'sess-1' },
      { type: 'text', text: "I'll reproduce the rounding problem first." },
    );
    await renderPage(fake);

    const crumbs = await screen.findByLabelText('Run breadcrumbs');
    expect(within(crumbs).getByRole('link', { name: 'acme' })).toHaveAttribute(
      'href',
      '/agents/runs?namespace=acme',
    );
    expect(
      within(crumbs).getByRole('link', { name: 'acme/payments-api' }),
    ).toHaveAttribute(
      'href',
      '/agents/runs?namespace=acme&repository=acme%2Fpayments-api',
    );
    expect(screen.getByRole('link', { name: 'ws-run-1' })).toHaveAttribute(
      'href',
      '/agents/workspaces/acme/ws-run-1',
    );
    expect(screen.getByText(/launch profile/)).toHaveTextContent(
      'sha256:58b1b58f98e0',
    );
    expect(screen.getByText(/@ main/)).toBeInTheDocument();
    // Requested by, in the summary and as the approval's requester.
    await waitFor(() =>
      expect(screen.getAllByText('user:development/guest')).toHaveLength(2),
    );

    const log = screen.getByRole('log', { name: 'Run transcript' });
    expect(
      await within(log).findByText(
        "I'll reproduce the rounding problem first.",
      ),
    ).toBeInTheDocument();
    expect(await screen.findByText('active')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Session page' })).toHaveAttribute(
      'href',
      '/agents/sessions/acme/run-1-1-session',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    expect(
      await screen.findByText(
        'Chain verified: 1 record of acme, none edited or missing.',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Audit records' })).getByRole(
        'listitem',
      ),
    ).toHaveTextContent(/^Run run-1: create#1 · .* · service:agents$/);

    // The backend records the artifact event as an AgentReviewArtifact.
    fake.artifacts = [artifactFixture('run-1-1-rounding-fix-patch')];
    act(() =>
      fake.log.append(
        {
          type: 'artifact',
          artifactKind: 'patch',
          name: 'rounding-fix.patch',
          content: PATCH,
        },
        {
          type: 'approval_requested',
          approval: 'ap-1',
          actionClass: 'write-back',
          target: 'pull request on acme/payments-api',
          policySource: 'AgentToolProfile/sandbox',
        },
      ),
    );
    fake.setStatus({
      phase: 'Waiting',
      reason: 'ApprovalBlocked',
      message: 'Waiting for approval ap-1',
    });
    expect(
      await within(log).findByText(/Approval requested: write-back/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Approval blocked: the run waits/),
    ).toBeInTheDocument();
    const artifact = await screen.findByRole('group', {
      name: 'Artifact rounding-fix.patch',
    });
    expect(
      within(artifact).getByLabelText('Artifact state ready'),
    ).toBeInTheDocument();
    fireEvent.click(
      within(artifact).getByRole('button', { name: 'Show diff' }),
    );
    expect(
      await within(artifact).findByRole('region', {
        name: 'rounding-fix.patch',
      }),
    ).toHaveTextContent(
      '+exports.toCents = amount => Math.round(amount * 100);',
    );
    expect(
      screen.getByRole('article', { name: 'Approval ap-1' }),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Transcript connection: connected'),
    ).toBeInTheDocument();

    fake.setStatus({
      phase: 'Succeeded',
      reason: 'Completed',
      completionTime: '2026-01-01T10:01:00.000Z',
    });
    act(() => fake.log.finish('Succeeded'));
    expect(
      await screen.findByLabelText('Transcript connection: complete'),
    ).toBeInTheDocument();
    expect(await screen.findAllByLabelText('Phase Succeeded')).not.toHaveLength(
      0,
    );
    // A long live flow: slow on two shared cores.
  }, 20_000);

  it('retries after confirmation and follows the new attempt', async () => {
    const fake = new FakeRun();
    fake.setStatus({
      phase: 'Failed',
      reason: 'PolicyDenied',
      message: 'Write denied',
    });
    fake.log.append({
      type: 'error',
      code: 'PolicyDenied',
      message: 'Write denied',
    });
    fake.log.finish('Failed');
    await renderPage(fake);

    expect(
      await screen.findByLabelText('Transcript connection: complete'),
    ).toBeInTheDocument();
    const retry = screen.getByRole('button', { name: 'Retry' });
    await waitFor(() => expect(retry).toBeEnabled());
    fireEvent.click(retry);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('Retry AgentDispatchRun acme/run-1?'),
    ).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry run' }));
    await waitFor(() => expect(fake.actions).toEqual(['retry']));

    const attempts = await screen.findByRole('list', { name: 'Attempts' });
    expect(
      await within(attempts).findByRole('listitem', {
        name: 'Attempt run-1-2',
      }),
    ).toHaveTextContent('retry of run-1-1');

    act(() => fake.log.append({ type: 'text', text: 'Second try' }));
    await waitFor(() =>
      expect(
        screen.getByRole('log', { name: 'Run transcript' }),
      ).toHaveTextContent('Second try'),
    );
    expect(screen.getByText('Attempt run-1-2')).toBeInTheDocument();
    expect(fake.log.streamRequests.slice(-1)[0]).toBe(1);
  });

  it('says when there is no such run', async () => {
    const fake = new FakeRun();
    fake.api.getRun = async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'NotFoundError',
              message: 'AgentDispatchRun nope not found',
            },
            response: { statusCode: 404 },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ),
      );
    };
    await renderPage(fake, '/agents/runs/nope');
    expect(await screen.findByText('No run named nope')).toBeInTheDocument();
  });

  it('warns about the workspace state and a pending session binding', async () => {
    const fake = new FakeRun();
    fake.setStatus({
      reason: 'SessionBindingPending',
      session: undefined,
    });
    fake.workspace = workspaceFixture('ws-run-1', {
      status: {
        state: 'active',
        git: { rebaseInProgress: true, conflictingFiles: ['src/rounding.js'] },
      },
    });
    await renderPage(fake);

    expect(
      await screen.findByLabelText('WorkspaceConflicts'),
    ).toHaveTextContent('Conflicting files: src/rounding.js');
    expect(screen.getByLabelText('SessionBindingPending')).toHaveTextContent(
      /Session binding pending/,
    );
  });

  it('says when a review of its pull request requested changes', async () => {
    const fake = new FakeRun();
    fake.setStatus({
      phase: 'Succeeded',
      reason: 'Completed',
      review: {
        state: 'ReviewChangesRequested',
        artifact: 'run-1-1-rounding-fix-patch',
        pullRequest: 42,
        message:
          'octocat requested changes in review 9001 on acme/payments-api#42',
        time: '2026-12-06T10:00:00Z',
      },
    });
    fake.artifacts = [
      artifactFixture('run-1-1-rounding-fix-patch', {
        status: { state: 'changes-requested' },
      }),
    ];
    fake.log.finish('Succeeded');
    await renderPage(fake);
    expect(
      await screen.findByLabelText('ReviewChangesRequested'),
    ).toHaveTextContent(
      /Changes requested on pull request.*octocat requested changes in review 9001/,
    );
    expect(
      await screen.findByLabelText('Artifact state changes requested'),
    ).toBeInTheDocument();
  });

  it('shows no memory card for a run that read no memory', async () => {
    const plain = new FakeRun();
    plain.api.getRunMemory = jest.fn();
    await renderPage(plain);
    await screen.findByRole('link', { name: 'scripted-demo' });
    expect(screen.queryByLabelText('Snapshot commit')).toBeNull();
    expect(plain.api.getRunMemory).not.toHaveBeenCalled();
  });

  it('shows the memory card for a run that read memory', async () => {
    const remembering = new FakeRun();
    const memory = runMemoryFixture();
    remembering.run.spec.memorySnapshot = memory.snapshot!;
    remembering.api.getRunMemory = async () => memory;
    remembering.api.listMemoryUpdates = async () => ({
      items: [],
      withheld: 0,
    });
    await renderPage(remembering);
    expect(await screen.findByLabelText('Snapshot commit')).toHaveTextContent(
      memory.snapshot!.commit.slice(0, 7),
    );
  });

  it('links the stack to its page', async () => {
    await renderPage(new FakeRun());
    expect(
      await screen.findByRole('link', { name: 'scripted-demo' }),
    ).toHaveAttribute('href', '/agents/stacks/acme/scripted-demo');
  });
});
