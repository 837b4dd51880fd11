import { AgentSession } from '@krate/plugin-agents-common';

/** A session record as the dispatch engine writes one for attempt `<run>-<n>`. */
export function sessionFixture(
  attempt: string,
  overrides: {
    namespace?: string;
    spec?: Partial<AgentSession['spec']>;
    status?: AgentSession['status'];
    created?: string;
  } = {},
): AgentSession {
  const run = attempt.slice(0, attempt.lastIndexOf('-'));
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentSession',
    metadata: {
      name: `${attempt}-session`,
      namespace: overrides.namespace ?? 'acme',
      labels: {
        'agents.krate.dev/run': run,
        'agents.krate.dev/attempt': attempt,
        'agents.krate.dev/runtime': 'scripted',
      },
      creationTimestamp: overrides.created ?? '2026-01-01T10:00:00.000Z',
    },
    spec: {
      runtime: 'scripted',
      run,
      attempt,
      stack: 'scripted-demo',
      repository: 'acme/payments-api',
      ...overrides.spec,
    },
    status: {
      state: 'idle',
      sessionId: 'sess-1',
      workspaceRef: 'ws-1',
      lastActivityTime: overrides.created ?? '2026-01-01T10:00:00.000Z',
      ...overrides.status,
    },
  };
}
