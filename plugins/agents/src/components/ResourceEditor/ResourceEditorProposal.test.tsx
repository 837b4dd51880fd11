import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  AgentSecretGrantKind,
  ConfigurationProposal,
  ConfigurationProposalTargets,
} from '@krate/plugin-agents-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { AgentsApi, agentsApiRef, AgentsResource } from '../../api';
import { mockPermissions } from '../../__testUtils__/permissions';
import { ResourceEditor } from './ResourceEditor';

const grant: AgentsResource = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentSecretGrant',
  metadata: { name: 'release-bot-for-release-checklist', namespace: 'acme' },
  spec: {
    secretName: 'release-bot',
    keys: ['token'],
    subjects: [{ kind: 'skill', name: 'release-checklist' }],
    purpose: 'The release checklist skill posts the release notes.',
  },
};

const withGithub: ConfigurationProposalTargets = {
  repository: 'acme/platform-config',
  path: 'agents',
  targets: [
    {
      target: 'github',
      displayName: 'GitHub',
      operation: 'pull-request',
      available: true,
    },
    {
      target: 'git',
      displayName: 'Git branch',
      operation: 'branch',
      available: true,
    },
  ],
};

const proposal: ConfigurationProposal = {
  key: 'k1',
  namespace: 'acme',
  kind: 'AgentSecretGrant',
  name: 'release-bot-for-release-checklist',
  digest: 'd'.repeat(64),
  repository: 'acme/platform-config',
  path: 'agents/AgentSecretGrant/release-bot-for-release-checklist.yaml',
  branch:
    'krate/config/agentsecretgrant-release-bot-for-release-checklist-dddddddd',
  target: 'github',
  operation: 'pull-request',
  state: 'applied',
  results: [
    { target: 'git', operation: 'branch', ref: 'abc' },
    {
      target: 'github',
      operation: 'pull-request',
      ref: '7',
      url: 'https://github.example/acme/platform-config/pull/7',
    },
  ],
  requestedBy: 'user:default/guest',
  createdAt: '2026-12-07T10:00:00Z',
  updatedAt: '2026-12-07T10:00:00Z',
};

function renderEditor(
  api: Partial<AgentsApi>,
  denied: string[] = [],
  initialDraft = grant,
) {
  return renderInTestApp(
    <TestApiProvider apis={[mockPermissions(denied), [agentsApiRef, api]]}>
      <ResourceEditor
        definition={AgentSecretGrantKind}
        initialDraft={initialDraft}
      />
    </TestApiProvider>,
  );
}

describe('ResourceEditor: open a pull request', () => {
  it('proposes the draft as it stands and links the pull request it opened', async () => {
    const proposeConfiguration = jest.fn(async () => proposal);
    await renderEditor({
      configurationProposalTargets: async () => withGithub,
      proposeConfiguration,
    });
    const button = await screen.findByRole('button', {
      name: 'Open a pull request',
    });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.change(screen.getByLabelText('spec.purpose'), {
      target: { value: 'Posts the release notes.' },
    });
    fireEvent.click(button);
    const outcome = await screen.findByLabelText('proposal result');
    expect(outcome).toHaveTextContent(
      /^Pull request #7.* opened in acme\/platform-config/,
    );
    expect(screen.getByRole('link', { name: /^#7/ })).toHaveAttribute(
      'href',
      'https://github.example/acme/platform-config/pull/7',
    );
    expect(outcome).toHaveTextContent(proposal.path);
    expect(proposeConfiguration).toHaveBeenCalledWith({
      object: {
        ...grant,
        spec: { ...grant.spec, purpose: 'Posts the release notes.' },
      },
      target: 'github',
    });
  });

  it('offers a branch push where no forge target can open a pull request', async () => {
    const proposeConfiguration = jest.fn(async () => ({
      ...proposal,
      target: 'git',
      operation: 'branch' as const,
      results: [proposal.results![0]],
    }));
    await renderEditor({
      configurationProposalTargets: async () => ({
        ...withGithub,
        targets: [
          {
            target: 'github',
            displayName: 'GitHub',
            operation: 'pull-request',
            available: false,
            reason: 'No github integration for the host',
          },
          withGithub.targets[1],
        ],
      }),
      proposeConfiguration,
    });
    const button = await screen.findByRole('button', {
      name: 'Push to a branch',
    });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    expect(await screen.findByLabelText('proposal result')).toHaveTextContent(
      `Branch ${proposal.branch} pushed to acme/platform-config`,
    );
    expect(proposeConfiguration).toHaveBeenCalledWith(
      expect.objectContaining({ target: 'git' }),
    );
  });

  it('is disabled with the reason when the org has no configuration repository', async () => {
    await renderEditor({
      configurationProposalTargets: async () => ({
        reason:
          'Org acme has no configuration repository: declare one in agents.configurationRepositories',
        targets: [],
      }),
    });
    const button = await screen.findByRole('button', {
      name: 'Open a pull request',
    });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        expect.stringMatching(/^Org acme has no configuration repository/),
      ),
    );
    expect(button).toBeDisabled();
  });

  it('is disabled without the permission applying the object needs', async () => {
    // Another name than the other tests: permission decisions are cached per resource.
    await renderEditor(
      { configurationProposalTargets: async () => withGithub },
      ['agents.secret-grant.create'],
      { ...grant, metadata: { name: 'locked', namespace: 'acme' } },
    );
    const button = await screen.findByRole('button', {
      name: 'Open a pull request',
    });
    await waitFor(() =>
      expect(button.parentElement).toHaveAttribute(
        'title',
        expect.stringMatching(/agents\.secret-grant\.create/),
      ),
    );
    expect(button).toBeDisabled();
  });

  it('says why a write failed, so it can be tried again', async () => {
    await renderEditor({
      configurationProposalTargets: async () => withGithub,
      proposeConfiguration: async () => ({
        ...proposal,
        state: 'failed' as const,
        results: undefined,
        message: 'GitHub failed: socket hang up',
      }),
    });
    const button = await screen.findByRole('button', {
      name: 'Open a pull request',
    });
    await waitFor(() => expect(button).toBeEnabled());
    fireEvent.click(button);
    const outcome = await screen.findByLabelText('proposal result');
    expect(outcome).toHaveTextContent(
      'Writing to acme/platform-config failed — try again',
    );
    expect(outcome).toHaveTextContent('GitHub failed: socket hang up');
  });
});
