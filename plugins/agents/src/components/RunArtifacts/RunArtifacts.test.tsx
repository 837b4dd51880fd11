import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { mockPermissions } from '../../__testUtils__/permissions';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  AGENTS_SIGNAL_CHANNEL,
  AgentApproval,
  AgentReviewArtifact,
  ARTIFACT_STATES,
  WriteBackRecord,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  artifactFixture,
  PATCH,
  refusal,
  TARGETS,
  writeBackFixture,
} from '../../__testUtils__/artifactFixtures';
import { FakeSignalApi } from '../../__testUtils__/FakeSignalApi';
import { approvalFixture } from '../../__testUtils__/fixtures';
import { AgentsApi, agentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { RunArtifacts } from './RunArtifacts';

/** The artifact routes of one run, served from what the test puts in. */
class FakeArtifacts {
  artifacts: AgentReviewArtifact[] = [];
  writeBacks: Record<string, WriteBackRecord[]> = {};
  approvals: Record<string, AgentApproval> = {};
  contentReads: string[] = [];
  listCalls: unknown[][] = [];
  collected: AgentReviewArtifact[] | undefined;

  api: Partial<AgentsApi> = {
    listArtifacts: async (...args) => {
      this.listCalls.push(args);
      return { items: this.artifacts };
    },
    listWriteBacks: async (_ns, artifact) => ({
      items: this.writeBacks[artifact] ?? [],
    }),
    getResource: async (plural, _ns, name) => {
      if (plural === 'agentapprovals' && this.approvals[name]) {
        return this.approvals[name] as any;
      }
      throw await refusal(404, `${name} not found`);
    },
    getArtifactContent: async (_ns, artifact) => {
      this.contentReads.push(artifact);
      return PATCH;
    },
    listWriteBackTargets: async () => ({ items: TARGETS }),
    collectArtifacts: async () => {
      if (this.collected) this.artifacts = this.collected;
      return { items: this.artifacts };
    },
  };
}

/** Clicks a button once its permission check has answered. */
async function clickWhenEnabled(name: string) {
  const button = screen.getByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  fireEvent.click(button);
}

function renderPanel(
  fake: FakeArtifacts,
  signals?: FakeSignalApi,
  denied: string[] = [],
  run = 'run-1',
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [agentsApiRef, fake.api],
        mockPermissions(denied),
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ]}
    >
      <RunArtifacts run={run} namespace="acme" />
    </TestApiProvider>,
    { mountedRoutes: { '/agents': rootRouteRef } },
  );
}

const EXPECTED_LABELS: Record<(typeof ARTIFACT_STATES)[number], string> = {
  pending: 'pending',
  ready: 'ready',
  approved: 'approved',
  applying: 'applying',
  applied: 'applied',
  failed: 'failed',
  superseded: 'void — the diff changed',
  rejected: 'rejected',
  'changes-requested': 'changes requested',
};

describe('RunArtifacts', () => {
  it('shows each artifact’s state as the server reports it', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = ARTIFACT_STATES.map(state =>
      artifactFixture(`run-1-1-${state}`, {
        spec: { title: `${state}.patch` },
        status: { state },
      }),
    );
    await renderPanel(fake);

    for (const state of ARTIFACT_STATES) {
      const group = await screen.findByRole('group', {
        name: `Artifact ${state}.patch`,
      });
      expect(
        within(group).getByLabelText(
          `Artifact state ${EXPECTED_LABELS[state]}`,
        ),
      ).toHaveTextContent(EXPECTED_LABELS[state]);
    }
    expect(fake.listCalls).toEqual([['acme', 'run-1']]);
  });

  it('marks a superseded artifact void and links the one that replaced it', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [
      artifactFixture('run-1-1-rounding-fix', {
        status: {
          state: 'superseded',
          supersededBy: 'run-1-1-rounding-fix-2',
        },
      }),
      artifactFixture('run-1-1-rounding-fix-2', {
        spec: {
          title: 'rounding-fix (2).patch',
          supersedes: 'run-1-1-rounding-fix',
        },
      }),
    ];
    await renderPanel(fake);

    const old = await screen.findByRole('group', {
      name: 'Artifact rounding-fix.patch',
    });
    expect(
      within(old).getByLabelText('Artifact state void — the diff changed'),
    ).toBeInTheDocument();
    expect(
      within(old).getByRole('link', { name: 'run-1-1-rounding-fix-2' }),
    ).toHaveAttribute('href', '#artifact-run-1-1-rounding-fix-2');
    const replacement = screen.getByRole('group', {
      name: 'Artifact rounding-fix (2).patch',
    });
    expect(replacement).toHaveAttribute(
      'id',
      'artifact-run-1-1-rounding-fix-2',
    );
    expect(
      within(replacement).getByRole('link', { name: 'run-1-1-rounding-fix' }),
    ).toHaveAttribute('href', '#artifact-run-1-1-rounding-fix');
  });

  it('describes the diff and reads its content only when expanded', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [
      artifactFixture('run-1-1-rounding-fix', {
        spec: {
          stat: { files: 2, insertions: 10, deletions: 3 },
          commits: [
            { sha: 'abcdef1234567890', subject: 'Round amounts to cents' },
          ],
          uncommitted: true,
        },
      }),
    ];
    await renderPanel(fake);
    const group = await screen.findByRole('group', {
      name: 'Artifact rounding-fix.patch',
    });
    expect(within(group).getByText(/2 files \+10 −3/)).toBeInTheDocument();
    expect(within(group).getByText('sha256:111111111111')).toBeInTheDocument();
    expect(
      within(
        within(group).getByRole('list', {
          name: 'Commits of rounding-fix.patch',
        }),
      ).getByRole('listitem'),
    ).toHaveTextContent('abcdef1 Round amounts to cents');
    expect(
      within(group).getByText(/Uncommitted changes included/),
    ).toBeInTheDocument();
    expect(fake.contentReads).toEqual([]);

    fireEvent.click(within(group).getByRole('button', { name: 'Show diff' }));
    expect(
      await within(group).findByRole('region', { name: 'rounding-fix.patch' }),
    ).toHaveTextContent(
      '+exports.toCents = amount => Math.round(amount * 100);',
    );
    expect(fake.contentReads).toEqual(['run-1-1-rounding-fix']);
    const download = within(group).getByRole('link', {
      name: 'Download patch',
    });
    expect(download).toHaveAttribute('download', 'run-1-1-rounding-fix.patch');
    expect(
      decodeURIComponent(download.getAttribute('href')!.split(',')[1]),
    ).toContain('+exports.toCents = amount => Math.round(amount * 100);');
  });

  it('shows a review’s text', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [
      artifactFixture('run-1-1-review', {
        spec: { kind: 'review', title: 'review.md' },
      }),
    ];
    fake.api.getArtifactContent = async () => 'Looks right, one nit.';
    await renderPanel(fake);
    const group = await screen.findByRole('group', {
      name: 'Artifact review.md',
    });
    fireEvent.click(within(group).getByRole('button', { name: 'Show text' }));
    expect(
      await within(group).findByRole('region', { name: 'review.md' }),
    ).toHaveTextContent('Looks right, one nit.');
  });

  it('lists the write-backs with their approval, N of M and what they wrote', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [artifactFixture('run-1-1-rounding-fix')];
    fake.writeBacks['run-1-1-rounding-fix'] = [
      writeBackFixture(),
      writeBackFixture({
        key: 'wb-2',
        state: 'applied',
        approval: undefined,
        operation: {
          operation: 'pull-request',
          branch: 'agents/run-1-b',
          title: 'Round to cents',
        },
        results: [
          {
            target: 'github',
            operation: 'branch',
            ref: '0123456789abcdef',
            remote: 'https://github.com/acme/payments-api.git',
          },
          {
            target: 'github',
            operation: 'pull-request',
            ref: '42',
            url: 'https://github.com/acme/payments-api/pull/42',
          },
        ],
      }),
      writeBackFixture({
        key: 'wb-3',
        state: 'void',
        approval: undefined,
        operation: { operation: 'comment', number: 7 },
        message: 'artifact run-1-1-rounding-fix was superseded',
      }),
    ];
    fake.approvals['run-1-ap-wb1'] = approvalFixture('run-1-ap-wb1', {
      spec: { requiredApprovals: 2 },
      status: {
        state: 'pending',
        approvals: [
          { by: 'user:default/alice', time: '2026-01-01T10:04:00.000Z' },
        ],
      },
    });
    await renderPanel(fake);

    const waiting = await screen.findByRole('listitem', {
      name: 'Write-back github: pull request agents/run-1 → the default branch',
    });
    expect(
      within(waiting).getByLabelText('Write-back state awaiting approval'),
    ).toBeInTheDocument();
    expect(
      within(waiting).getByRole('link', { name: 'run-1-ap-wb1' }),
    ).toHaveAttribute('href', '/agents/approvals?namespace=acme');
    expect(
      await within(waiting).findByRole('group', { name: 'Approvals 1 of 2' }),
    ).toHaveTextContent('1 of 2 approvals');
    expect(
      within(waiting).getByText(/user:default\/alice/),
    ).toBeInTheDocument();

    const applied = screen.getByRole('listitem', {
      name: 'Write-back github: pull request agents/run-1-b → the default branch',
    });
    const results = within(applied).getByRole('list', { name: 'Results' });
    expect(results).toHaveTextContent(
      'Pushed branch agents/run-1-b to https://github.com/acme/payments-api.git at 0123456789abcdef',
    );
    expect(
      within(results).getByRole('link', {
        name: /^https:\/\/github.com\/acme\/payments-api\/pull\/42/,
      }),
    ).toHaveAttribute('href', 'https://github.com/acme/payments-api/pull/42');
    expect(results).toHaveTextContent('Pull request #42');

    const voided = screen.getByRole('listitem', {
      name: 'Write-back github: pull request comment on #7',
    });
    expect(
      within(voided).getByLabelText('Write-back state void — the diff changed'),
    ).toBeInTheDocument();
    expect(
      within(voided).getByText('artifact run-1-1-rounding-fix was superseded'),
    ).toBeInTheDocument();
  });

  it('requests a write-back and shows it once the server recorded it', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [artifactFixture('run-1-1-rounding-fix')];
    fake.api.requestWriteBack = async () => {
      const writeBack = writeBackFixture();
      fake.writeBacks['run-1-1-rounding-fix'] = [writeBack];
      return { writeBack, approval: 'run-1-ap-wb1' };
    };
    await renderPanel(fake);
    const group = await screen.findByRole('group', {
      name: 'Artifact rounding-fix.patch',
    });
    expect(
      within(group).getByText('No write-back requested yet.'),
    ).toBeInTheDocument();

    const request = within(group).getByRole('button', {
      name: 'Request write-back',
    });
    await waitFor(() => expect(request).toBeEnabled());
    fireEvent.click(request);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('radio', { name: 'GitHub' });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Request write-back' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      await within(group).findByLabelText('Write-back state awaiting approval'),
    ).toBeInTheDocument();
  });

  it('refreshes from the workspace and says what changed', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [artifactFixture('run-1-1-rounding-fix')];
    await renderPanel(fake);
    await screen.findByRole('group', { name: 'Artifact rounding-fix.patch' });

    await clickWhenEnabled('Refresh from workspace');
    expect(
      await screen.findByText('The workspace diff has not changed.'),
    ).toBeInTheDocument();

    fake.collected = [
      artifactFixture('run-1-1-rounding-fix', {
        status: {
          state: 'superseded',
          supersededBy: 'run-1-1-rounding-fix-2',
        },
      }),
      artifactFixture('run-1-1-rounding-fix-2', {
        spec: { title: 'rounding-fix (2).patch' },
      }),
    ];
    await clickWhenEnabled('Refresh from workspace');
    expect(
      await screen.findByText(
        'New artifact from the workspace: run-1-1-rounding-fix-2',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('group', {
        name: 'Artifact rounding-fix (2).patch',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Artifact state void — the diff changed'),
    ).toBeInTheDocument();
  });

  it('shows why the workspace could not be read again', async () => {
    const fake = new FakeArtifacts();
    const error = await refusal(
      409,
      'Workspace ws-run-1 has rebase conflicts: resolve them first',
    );
    fake.api.collectArtifacts = async () => {
      throw error;
    };
    await renderPanel(fake);
    await screen.findByText(/No artifacts yet/);
    await clickWhenEnabled('Refresh from workspace');
    expect(
      await screen.findByText(
        'Could not refresh from the workspace (409): Workspace ws-run-1 has rebase conflicts: resolve them first',
      ),
    ).toBeInTheDocument();
  });

  it('reads the artifacts again when the backend signals a change to one', async () => {
    const fake = new FakeArtifacts();
    fake.artifacts = [artifactFixture('run-1-1-rounding-fix')];
    const signals = new FakeSignalApi();
    await renderPanel(fake, signals);
    await screen.findByLabelText('Artifact state ready');

    fake.artifacts = [
      artifactFixture('run-1-1-rounding-fix', { status: { state: 'applied' } }),
    ];
    signals.publish(AGENTS_SIGNAL_CHANNEL, {
      kind: 'AgentReviewArtifact',
      namespace: 'acme',
      name: 'run-1-1-rounding-fix',
      type: 'MODIFIED',
    });
    expect(
      await screen.findByLabelText('Artifact state applied'),
    ).toBeInTheDocument();
  });

  it('says when there are no artifacts', async () => {
    await renderPanel(new FakeArtifacts());
    expect(await screen.findByText(/No artifacts yet/)).toBeInTheDocument();
  });
  it('disables write-back without the permission, saying why', async () => {
    const fake = new FakeArtifacts();
    // Last, and on its own artifact: permission decisions are cached per resource, and this
    // test denies the run's too.
    fake.artifacts = [
      artifactFixture('run-1-1-locked-fix', {
        spec: { title: 'locked-fix.patch' },
      }),
    ];
    await renderPanel(
      fake,
      undefined,
      ['agents.artifact.write-back'],
      'run-locked',
    );
    const group = await screen.findByRole('group', {
      name: 'Artifact locked-fix.patch',
    });
    const request = within(group).getByRole('button', {
      name: 'Request write-back',
    });
    const denial =
      'You may not request a write-back of this artifact (agents.artifact.write-back)';
    await waitFor(
      () => expect(request.parentElement).toHaveAttribute('title', denial),
      { timeout: 3000 },
    );
    fireEvent.mouseOver(request.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(denial);
    expect(request).toBeDisabled();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Refresh from workspace' }),
      ).toBeDisabled(),
    );
  });
});
