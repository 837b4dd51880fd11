import {
  accessStackFixture,
  objectFixture,
} from '../../__testUtils__/accessFixtures';
import { SecretNeed } from '@krate/plugin-agents-common';
import {
  keyNeeds,
  preparedGrants,
  preparedServiceAccounts,
  StackNeedObjects,
} from './preparedGrant';

const NOW = new Date('2026-06-01T00:00:00.000Z');

const github = objectFixture('AgentMcpServer', 'github', {
  transport: 'streamable-http',
  secretRefs: [{ name: 'github-token', key: 'token' }],
});
const releaseNotes = objectFixture('AgentSkill', 'release-notes', {
  requiredSecrets: [{ name: 'github-token', key: 'token' }],
  requiredConfig: [{ name: 'payments-settings', key: 'region' }],
});

const grant = (
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
  name = 'a-grant',
) =>
  objectFixture(
    'AgentSecretGrant',
    name,
    {
      secretName: 'github-token',
      keys: ['token'],
      subjects: [{ kind: 'agent', name: 'agent-bot' }],
      purpose: 'test',
      ...spec,
    },
    status,
  );

const need: SecretNeed = {
  source: 'Secret',
  name: 'github-token',
  key: 'token',
  consumer: { kind: 'skill', name: 'release-notes' },
  field: 'AgentSkill/release-notes spec.requiredSecrets[0]',
};

const objects = (
  overrides: Partial<StackNeedObjects> = {},
): StackNeedObjects => ({
  mcpServers: [github],
  skills: [releaseNotes],
  secretGrants: [],
  configGrants: [],
  ...overrides,
});

describe('keyNeeds', () => {
  it('lists the MCP servers’ secret refs and the skills’ secrets and config, once per skill', () => {
    expect(keyNeeds(objects({ skills: [releaseNotes, releaseNotes] }))).toEqual(
      [
        {
          source: 'Secret',
          name: 'github-token',
          key: 'token',
          consumer: { kind: 'mcp-server', name: 'github' },
          field: 'AgentMcpServer/github spec.secretRefs[0]',
        },
        need,
        {
          source: 'ConfigMap',
          name: 'payments-settings',
          key: 'region',
          consumer: { kind: 'skill', name: 'release-notes' },
          field: 'AgentSkill/release-notes spec.requiredConfig[0]',
        },
      ],
    );
  });
});

describe('preparedGrants', () => {
  it('grants each uncovered Secret and ConfigMap to the runtime identity, scoped to the consumers that need it', () => {
    const covering = grant(
      {
        subjects: [
          { kind: 'agent', name: 'agent-bot' },
          { kind: 'mcp-server', name: 'github' },
        ],
      },
      undefined,
      'payments-triage-github-token',
    );
    const drafts = preparedGrants(
      accessStackFixture(),
      objects({ secretGrants: [covering] }),
      NOW,
    );
    expect(drafts).toEqual([
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentSecretGrant',
        // The first name is taken by the grant that covers the MCP server.
        metadata: { name: 'payments-triage-github-token-2', namespace: 'acme' },
        spec: {
          secretName: 'github-token',
          keys: ['token'],
          subjects: [
            { kind: 'agent', name: 'agent-bot' },
            { kind: 'skill', name: 'release-notes' },
          ],
          purpose:
            'skill release-notes of AgentStack acme/payments-triage need Secret github-token key token',
        },
      },
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentConfigGrant',
        metadata: {
          name: 'payments-triage-payments-settings',
          namespace: 'acme',
        },
        spec: {
          configMapName: 'payments-settings',
          keys: ['region'],
          subjects: [
            { kind: 'agent', name: 'agent-bot' },
            { kind: 'skill', name: 'release-notes' },
          ],
          purpose:
            'skill release-notes of AgentStack acme/payments-triage need ConfigMap payments-settings key region',
        },
      },
    ]);
  });

  it('puts every consumer of one Secret in one grant', () => {
    const [draft] = preparedGrants(
      accessStackFixture(),
      objects({ skills: [] }),
      NOW,
    );
    expect(draft.spec?.subjects).toEqual([
      { kind: 'agent', name: 'agent-bot' },
      { kind: 'mcp-server', name: 'github' },
    ]);
    const both = preparedGrants(
      accessStackFixture(),
      objects({
        skills: [
          objectFixture('AgentSkill', 'release-notes', {
            requiredSecrets: [{ name: 'github-token', key: 'token' }],
          }),
        ],
      }),
      NOW,
    );
    expect(both).toHaveLength(1);
    expect(both[0].spec?.subjects).toEqual([
      { kind: 'agent', name: 'agent-bot' },
      { kind: 'mcp-server', name: 'github' },
      { kind: 'skill', name: 'release-notes' },
    ]);
    expect(both[0].spec?.purpose).toBe(
      'mcp-server github, skill release-notes of AgentStack acme/payments-triage need Secret github-token key token',
    );
  });

  it('prepares nothing without a runtime identity or once every key is covered', () => {
    const stack = accessStackFixture();
    stack.spec = { ...stack.spec, runtimeServiceAccountName: undefined };
    expect(preparedGrants(stack, objects(), NOW)).toEqual([]);
    expect(
      preparedGrants(
        accessStackFixture(),
        objects({
          secretGrants: [grant({})],
          configGrants: [
            objectFixture('AgentConfigGrant', 'cfg', {
              configMapName: 'payments-settings',
              keys: ['region'],
              subjects: [{ kind: 'agent', name: 'agent-bot' }],
              purpose: 'x',
            }),
          ],
        }),
        NOW,
      ),
    ).toEqual([]);
  });
});

describe('preparedServiceAccounts', () => {
  it('prepares the runtime and runner accounts the stack names that do not exist, each with its purpose', () => {
    const stack = accessStackFixture();
    stack.spec = {
      ...stack.spec,
      runnerPolicy: { serviceAccountName: 'runner-pool' },
    };
    expect(preparedServiceAccounts(stack, () => false)).toEqual([
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentServiceAccount',
        metadata: { name: 'agent-bot', namespace: 'acme' },
        spec: { purpose: 'agent', serviceAccountName: 'agent-bot' },
      },
      {
        apiVersion: 'agents.krate.dev/v1alpha1',
        kind: 'AgentServiceAccount',
        metadata: { name: 'runner-pool', namespace: 'acme' },
        spec: { purpose: 'runner', serviceAccountName: 'runner-pool' },
      },
    ]);
    expect(
      preparedServiceAccounts(stack, name => name === 'agent-bot').map(
        d => d.metadata.name,
      ),
    ).toEqual(['runner-pool']);
  });
});
