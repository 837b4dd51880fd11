import {
  AgentTriggerExecution,
  AgentTriggerRule,
  TRIGGER_RULE_LABEL,
  TriggerDryRunResult,
} from '@krate/plugin-agents-common';

const API_VERSION = 'agents.krate.dev/v1alpha1' as const;

/** The example rule `checkout-agent-ready`, with overrides merged into spec; status replaced. */
export function ruleFixture(
  name = 'checkout-agent-ready',
  overrides: {
    namespace?: string;
    spec?: Partial<AgentTriggerRule['spec']>;
    status?: AgentTriggerRule['status'];
  } = {},
): AgentTriggerRule {
  return {
    apiVersion: API_VERSION,
    kind: 'AgentTriggerRule',
    metadata: {
      name,
      namespace: overrides.namespace ?? 'acme',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-01T09:00:00.000Z',
    },
    spec: {
      description:
        'Dispatch the scripted demo agent when an issue is labelled agent:ready.',
      lifecycle: 'active',
      source: { events: ['label'], repositories: ['acme/checkout-web'] },
      matchers: [
        { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
        { field: 'issue.state', operator: 'equals', values: ['open'] },
      ],
      stack: 'scripted-demo',
      promptTemplate:
        'Fix issue #{{event.issue.number}}: {{event.issue.title}}\n\n{{event.issue.body}}\n',
      contextLabels: ['acme-conventions'],
      dedupeKeyTemplate: '{{repository}}#{{event.issue.number}}',
      concurrency: { policy: 'coalesce', maxConcurrentRuns: 1 },
      requireApproval: false,
      ...overrides.spec,
    },
    status: overrides.status,
  };
}

/** An execution a rule recorded, labelled with the rule's name as the backend labels them. */
export function executionFixture(
  name: string,
  overrides: {
    rule?: string;
    creationTimestamp?: string;
    spec?: Partial<AgentTriggerExecution['spec']>;
    status?: AgentTriggerExecution['status'];
  } = {},
): AgentTriggerExecution {
  const rule = overrides.rule ?? 'checkout-agent-ready';
  return {
    apiVersion: API_VERSION,
    kind: 'AgentTriggerExecution',
    metadata: {
      name,
      namespace: 'acme',
      uid: `uid-${name}`,
      labels: { [TRIGGER_RULE_LABEL]: rule },
      creationTimestamp:
        overrides.creationTimestamp ?? '2026-01-01T10:00:00.000Z',
    },
    spec: {
      rule,
      source: 'label',
      repository: 'acme/checkout-web',
      ...overrides.spec,
    },
    status: overrides.status ?? {
      matched: true,
      outcome: 'dispatched',
      dedupeKey: 'acme/checkout-web#42',
      run: 'scripted-demo-abc12',
    },
  };
}

/** A matched dry-run of the label sample against `checkout-agent-ready`. */
export function dryRunResultFixture(
  overrides: Partial<TriggerDryRunResult> = {},
): TriggerDryRunResult {
  return {
    execution: executionFixture('checkout-agent-ready-dry-1', {
      spec: { dryRun: true },
    }),
    lifecycle: 'active',
    lifecycleDispatches: true,
    matched: true,
    conditions: [
      {
        path: 'spec.source.events',
        description: 'event is one of label',
        matched: true,
        actual: 'label',
      },
      {
        path: 'spec.source.repositories',
        description: 'repository is one of acme/checkout-web',
        matched: true,
        actual: 'acme/checkout-web',
      },
      {
        path: 'spec.matchers[0]',
        description: "label.name equals 'agent:ready'",
        matched: true,
        actual: 'agent:ready',
      },
      {
        path: 'spec.matchers[1]',
        description: "issue.state equals 'open'",
        matched: true,
        actual: 'open',
      },
    ],
    outcome: 'dispatched',
    dedupeKey: 'acme/checkout-web#42',
    activeRuns: [],
    run: {
      namespace: 'acme',
      stack: 'scripted-demo',
      prompt:
        'Fix issue #42: Checkout total rounds wrong\n\nThe total is off.\n',
      repository: 'acme/checkout-web',
      contextLabels: ['acme-conventions'],
      source: {
        kind: 'issue',
        name: '42',
        url: 'https://git.example.com/acme/checkout-web/issues/42',
      },
    },
    context: {
      digest: 'sha256:0123456789abcdef0123',
      profileDigest: 'sha256:feed',
      parts: [
        {
          kind: 'context-label',
          content: 'Use integer cents.',
          provenance: { source: 'AgentContextLabel/acme-conventions' },
          redactions: 0,
          digest: 'sha256:aaaa',
        },
        {
          kind: 'prompt',
          content: 'Fix issue #42: Checkout total rounds wrong',
          provenance: { source: 'AgentTriggerRule/checkout-agent-ready' },
          redactions: 0,
          digest: 'sha256:bbbb',
        },
      ],
    },
    policyPreview: {
      approvalMode: 'always',
      writeBackMode: 'pull-request',
      requiresApproval: false,
    },
    missingFields: [],
    ...overrides,
  };
}
