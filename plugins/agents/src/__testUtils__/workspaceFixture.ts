import { AgentWorkspace } from '@krate/plugin-agents-common';

/** A workspace as `GET /workspaces` answers, with overrides merged into spec; status replaced. */
export function workspaceFixture(
  name: string,
  overrides: {
    namespace?: string;
    spec?: Partial<AgentWorkspace['spec']>;
    status?: AgentWorkspace['status'];
  } = {},
): AgentWorkspace {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentWorkspace',
    metadata: {
      name,
      namespace: overrides.namespace ?? 'acme',
      creationTimestamp: '2026-01-01T10:00:00.000Z',
    },
    spec: {
      repository: 'acme/payments-api',
      path: `/data/workspaces/acme/${name}`,
      branch: `agents/${name}`,
      ref: 'HEAD',
      ownership: { kind: 'dispatch-run', ref: 'run-1' },
      trustTier: 'trusted',
      ...overrides.spec,
    },
    status: overrides.status ?? {
      state: 'active',
      lastActivityTime: '2026-01-01T10:05:00.000Z',
      git: {
        branch: `agents/${name}`,
        headSha: 'abc1234def',
        ahead: 0,
        behind: 0,
        dirty: false,
        uncommittedCount: 0,
      },
      runs: ['run-1'],
      activeRuns: [],
    },
  };
}
