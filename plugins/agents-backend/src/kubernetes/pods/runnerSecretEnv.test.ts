import { AgentSecretGrant } from '@krate/plugin-agents-common';
import { runnerSecretEnv } from './runnerSecretEnv';

function grant(
  name: string,
  spec: Partial<AgentSecretGrant['spec']>,
  status?: object,
) {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentSecretGrant',
    metadata: { name, namespace: 'acme' },
    spec: {
      secretName: 'creds',
      keys: ['TOKEN'],
      subjects: [],
      purpose: 'p',
      ...spec,
    },
    ...(status ? { status } : {}),
  } as AgentSecretGrant;
}

const NOW = new Date('2026-01-01T00:00:00Z');

describe('runnerSecretEnv', () => {
  it('exposes only live keys granted to the runner service account, by reference', () => {
    const { env, clashes } = runnerSecretEnv(
      [
        grant('a-runner', {
          keys: ['TOKEN', 'db.password'],
          subjects: [{ kind: 'runner', name: 'ci' }],
        }),
        grant('b-agent', {
          secretName: 'other',
          keys: ['KEY'],
          subjects: [{ kind: 'agent', name: 'ci' }],
        }),
        grant('c-someone', {
          keys: ['NOPE'],
          subjects: [{ kind: 'runner', name: 'other' }],
        }),
        grant('d-team', {
          keys: ['TEAM'],
          subjects: [{ kind: 'team', name: 'ci' }],
        }),
        grant('e-expired', {
          keys: ['OLD'],
          subjects: [{ kind: 'runner', name: 'ci' }],
          expiresAt: '2025-01-01T00:00:00Z',
        }),
        grant(
          'f-missing',
          {
            keys: ['GONE', 'HERE'],
            subjects: [{ kind: 'runner', name: 'ci' }],
          },
          { missingKeys: ['GONE'] },
        ),
        grant('g-clash', {
          secretName: 'dup',
          keys: ['TOKEN'],
          subjects: [{ kind: 'runner', name: 'ci' }],
        }),
      ],
      'ci',
      NOW,
    );
    expect(env).toEqual([
      {
        name: 'TOKEN',
        valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } },
      },
      {
        name: 'db_password',
        valueFrom: { secretKeyRef: { name: 'creds', key: 'db.password' } },
      },
      {
        name: 'KEY',
        valueFrom: { secretKeyRef: { name: 'other', key: 'KEY' } },
      },
      {
        name: 'HERE',
        valueFrom: { secretKeyRef: { name: 'creds', key: 'HERE' } },
      },
    ]);
    expect(clashes).toEqual([
      expect.stringContaining(
        'Secret dup key TOKEN (AgentSecretGrant/g-clash)',
      ),
    ]);
  });

  it('exposes nothing without a runner service account', () => {
    expect(
      runnerSecretEnv(
        [grant('a', { subjects: [{ kind: 'runner', name: 'ci' }] })],
        undefined,
        NOW,
      ).env,
    ).toEqual([]);
  });

  it("never lets a granted key take one of the runner's own variables", () => {
    const { env, clashes } = runnerSecretEnv(
      [
        grant('a-runner', {
          keys: ['KRATE_RUNNER_CREDENTIAL', 'KRATE_GRANTED_0', 'TOKEN'],
          subjects: [{ kind: 'runner', name: 'ci' }],
        }),
      ],
      'ci',
      NOW,
    );
    expect(env.map(e => e.name)).toEqual(['TOKEN']);
    expect(clashes).toEqual([
      expect.stringContaining(
        'KRATE_RUNNER_CREDENTIAL is reserved for the runner',
      ),
      expect.stringContaining('KRATE_GRANTED_0 is reserved for the runner'),
    ]);
  });
});
