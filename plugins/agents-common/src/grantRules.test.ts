import {
  grantCovers,
  GrantObject,
  SecretNeed,
  secretNeedsOf,
} from './grantRules';

const NOW = new Date('2026-06-01T00:00:00.000Z');

const grant = (
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): GrantObject => ({
  metadata: { name: 'a-grant' },
  spec: {
    secretName: 'github-token',
    keys: ['token'],
    subjects: [{ kind: 'agent', name: 'agent-bot' }],
    purpose: 'test',
    ...spec,
  },
  ...(status ? { status } : {}),
});

const need: SecretNeed = {
  source: 'Secret',
  name: 'github-token',
  key: 'token',
  consumer: { kind: 'skill', name: 'release-notes' },
  field: 'AgentSkill/release-notes spec.requiredSecrets[0]',
};

describe('secretNeedsOf', () => {
  it('lists the MCP servers’ secret refs with their env, and each skill’s secrets and config once', () => {
    const releaseNotes = {
      name: 'release-notes',
      spec: {
        requiredSecrets: [{ name: 'github-token', key: 'token' }],
        requiredConfig: [{ name: 'payments-settings', key: 'region' }],
      },
    };
    expect(
      secretNeedsOf({
        mcpServers: [
          {
            name: 'github',
            spec: {
              secretRefs: [
                { name: 'github-token', key: 'token', env: 'Authorization' },
              ],
            },
          },
        ],
        skills: [releaseNotes, releaseNotes],
      }),
    ).toEqual([
      {
        source: 'Secret',
        name: 'github-token',
        key: 'token',
        consumer: { kind: 'mcp-server', name: 'github' },
        field: 'AgentMcpServer/github spec.secretRefs[0]',
        env: 'Authorization',
      },
      need,
      {
        source: 'ConfigMap',
        name: 'payments-settings',
        key: 'region',
        consumer: { kind: 'skill', name: 'release-notes' },
        field: 'AgentSkill/release-notes spec.requiredConfig[0]',
      },
    ]);
  });
});

describe('grantCovers', () => {
  it('covers with a live grant to the agent, unscoped or scoped to the consumer', () => {
    expect(grantCovers(grant({}), need, 'agent-bot', NOW)).toBe(true);
    expect(
      grantCovers(
        grant({
          subjects: [
            { kind: 'agent', name: 'agent-bot' },
            { kind: 'skill', name: 'release-notes' },
          ],
        }),
        need,
        'agent-bot',
        NOW,
      ),
    ).toBe(true);
  });

  it.each([
    ['another agent', grant({}), 'agent-two'],
    [
      'another consumer',
      grant({
        subjects: [
          { kind: 'agent', name: 'agent-bot' },
          { kind: 'mcp-server', name: 'github' },
        ],
      }),
      'agent-bot',
    ],
    [
      'only the consumer',
      grant({ subjects: [{ kind: 'skill', name: 'release-notes' }] }),
      'agent-bot',
    ],
    ['another key', grant({ keys: ['other'] }), 'agent-bot'],
    ['another Secret', grant({ secretName: 'other' }), 'agent-bot'],
    [
      'a past expiry',
      grant({ expiresAt: '2026-05-31T00:00:00.000Z' }),
      'agent-bot',
    ],
    ['an expired state', grant({}, { state: 'expired' }), 'agent-bot'],
    ['a missing Secret', grant({}, { state: 'missing' }), 'agent-bot'],
    [
      'the key missing',
      grant({}, { state: 'missing', missingKeys: ['token'] }),
      'agent-bot',
    ],
  ])('does not cover with %s', (_, candidate, identity) => {
    expect(grantCovers(candidate, need, identity, NOW)).toBe(false);
  });
});
