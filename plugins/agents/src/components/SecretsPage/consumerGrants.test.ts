import {
  accessStackFixture,
  secretInventoryFixture,
} from '../../__testUtils__/accessFixtures';
import {
  agentsUsing,
  consumerGrantDraft,
  grantNames,
  isGranted,
  itemGrantDraft,
} from './consumerGrants';

const [github, pagerduty, settings] = secretInventoryFixture().items;
const [githubMcp, releaseNotes] = github.keys[0].consumers;

describe('isGranted', () => {
  it('counts an active grant scoped to the consumer, not one scoped to another', () => {
    const grants = github.keys[0].grants;
    expect(isGranted(githubMcp, grants)).toBe(true);
    expect(isGranted(releaseNotes, grants)).toBe(false);
  });

  it('counts an active grant scoped to no consumer for every consumer', () => {
    const grant = { ...github.keys[0].grants[0] };
    grant.subjects = [{ kind: 'agent', name: 'agent-bot' }];
    expect(isGranted(releaseNotes, [grant])).toBe(true);
  });

  it('does not count an expired or missing grant', () => {
    const grant = settings.keys[0].grants[0];
    expect(grant.state).toBe('expired');
    expect(isGranted(releaseNotes, [grant])).toBe(false);
    expect(isGranted(releaseNotes, [{ ...grant, state: 'missing' }])).toBe(
      false,
    );
  });
});

describe('agentsUsing', () => {
  it('names the runtime service accounts of the stacks using the consumer, once each', () => {
    const other = accessStackFixture();
    other.metadata = { ...other.metadata, name: 'other' };
    other.spec = { ...other.spec, runtimeServiceAccountName: 'agent-two' };
    const unrelated = accessStackFixture();
    unrelated.spec = { runtime: 'scripted', runtimeServiceAccountName: 'nope' };
    expect(
      agentsUsing(releaseNotes, [
        accessStackFixture(),
        other,
        accessStackFixture(),
        unrelated,
      ]),
    ).toEqual(['agent-bot', 'agent-two']);
    expect(
      agentsUsing(pagerduty.keys[0].consumers[0], [accessStackFixture()]),
    ).toEqual([]);
  });
});

describe('consumerGrantDraft', () => {
  it('grants the key to the consumer and the agents that use it, under an unused name', () => {
    const draft = consumerGrantDraft({
      namespace: 'acme',
      item: github,
      key: 'token',
      consumer: releaseNotes,
      stacks: [accessStackFixture()],
      taken: ['release-notes-github-token'],
    });
    expect(draft).toEqual({
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentSecretGrant',
      metadata: { name: 'release-notes-github-token-2', namespace: 'acme' },
      spec: {
        secretName: 'github-token',
        keys: ['token'],
        subjects: [
          { kind: 'agent', name: 'agent-bot' },
          { kind: 'skill', name: 'release-notes' },
        ],
        purpose:
          'skill release-notes needs Secret github-token key token (AgentSkill/release-notes spec.requiredSecrets[0])',
      },
    });
  });
});

describe('itemGrantDraft', () => {
  it('grants every key of a ConfigMap, leaving the agent to name when no stack uses it', () => {
    const draft = itemGrantDraft({
      namespace: 'acme',
      item: settings,
      stacks: [accessStackFixture()],
      taken: grantNames(secretInventoryFixture()),
    });
    expect(draft.kind).toBe('AgentConfigGrant');
    expect(draft.metadata.name).toBe('payments-settings-grant');
    expect(draft.spec).toEqual({
      configMapName: 'payments-settings',
      keys: ['region'],
      subjects: [{ kind: 'agent', name: '' }],
      purpose: '',
    });
  });
});
