import {
  AgentApproval,
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentStack,
  RunEvent,
  RunEventPayload,
} from '@krate/plugin-agents-common';

const API_VERSION = 'agents.krate.dev/v1alpha1' as const;

/** A run as `GET /runs/:run` answers, with overrides merged into spec and status. */
export function runFixture(
  name: string,
  overrides: {
    namespace?: string;
    spec?: Partial<AgentDispatchRun['spec']>;
    status?: AgentDispatchRun['status'];
  } = {},
): AgentDispatchRun {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentDispatchRun',
    metadata: {
      name,
      namespace: overrides.namespace ?? 'acme',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T10:00:00.000Z',
    },
    spec: {
      stack: 'scripted-demo',
      prompt: 'Fix the rounding bug',
      repository: 'acme/payments-api',
      source: { kind: 'manual' },
      requestedBy: 'user:development/guest',
      ...overrides.spec,
    },
    status: {
      phase: 'Running',
      reason: 'Running',
      runtime: 'scripted',
      startTime: '2026-01-01T10:00:00.000Z',
      currentAttempt: `${name}-1`,
      ...overrides.status,
    },
  };
}

export function attemptFixture(
  name: string,
  run: string,
  overrides: {
    spec?: Partial<AgentDispatchAttempt['spec']>;
    status?: AgentDispatchAttempt['status'];
  } = {},
): AgentDispatchAttempt {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentDispatchAttempt',
    metadata: {
      name,
      namespace: 'acme',
      labels: { 'agents.krate.dev/run': run },
      creationTimestamp: '2026-01-01T10:00:00.000Z',
    },
    spec: {
      run,
      kind: 'initial',
      stack: 'scripted-demo',
      runtime: 'scripted',
      contextBundle: `${name}-context`,
      ...overrides.spec,
    },
    status: {
      phase: 'Running',
      reason: 'Running',
      startTime: '2026-01-01T10:00:00.000Z',
      ...overrides.status,
    },
  };
}

export function approvalFixture(
  name: string,
  overrides: {
    spec?: Partial<AgentApproval['spec']>;
    status?: AgentApproval['status'];
  } = {},
): AgentApproval {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentApproval',
    metadata: {
      name,
      namespace: 'acme',
      creationTimestamp: '2026-01-01T10:01:00.000Z',
    },
    spec: {
      actionClass: 'write-back',
      target: 'pull request on acme/payments-api',
      requester: 'user:development/guest',
      run: 'run-1',
      attempt: 'run-1-1',
      repository: 'acme/payments-api',
      policySource: 'AgentToolProfile/sandbox',
      requesterMayApprove: true,
      ...overrides.spec,
    },
    status: {
      state: 'pending',
      expiresAt: '2026-01-01T11:01:00.000Z',
      ...overrides.status,
    },
  };
}

export function stackFixture(
  name: string,
  readiness: 'Ready' | 'Warning' | 'Invalid',
  message = '',
  namespace = 'acme',
): AgentStack {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentStack',
    metadata: { name, namespace },
    spec: { runtime: 'scripted' } as AgentStack['spec'],
    status: {
      readiness,
      conditions: message
        ? [
            {
              type: readiness === 'Invalid' ? 'Invalid' : 'Warning',
              status: 'True',
              reason: 'Reason',
              message,
              lastTransitionTime: '2026-01-01T00:00:00.000Z',
            },
          ]
        : [],
    },
  };
}

/** Stored events numbered from `firstSeq`, all of one attempt. */
export function eventsFixture(
  payloads: RunEventPayload[],
  firstSeq = 1,
  attempt = 'run-1-1',
): RunEvent[] {
  return payloads.map(
    (payload, index) =>
      ({
        ...payload,
        seq: firstSeq + index,
        attempt,
        time: '2026-01-01T10:00:00.000Z',
      } as RunEvent),
  );
}
