import { WebhookDelivery } from '@krate/plugin-agents-common';

/** A signed GitHub `issues.labeled` delivery to acme, processed; overrides merged into spec. */
export function deliveryFixture(
  name: string,
  overrides: {
    namespace?: string;
    spec?: Partial<WebhookDelivery['spec']>;
    status?: WebhookDelivery['status'];
  } = {},
): WebhookDelivery {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'WebhookDelivery',
    metadata: {
      name,
      namespace: overrides.namespace ?? 'acme',
      uid: `uid-${name}`,
      creationTimestamp: '2026-01-02T08:30:00.000Z',
    },
    spec: {
      source: 'github',
      eventType: 'issues.labeled',
      deliveryId: `id-${name}`,
      repository: 'acme/checkout-web',
      receivedTime: '2026-01-02T08:30:00.000Z',
      signatureVerified: true,
      payloadDigest: `sha256:${'0'.repeat(64)}`,
      ...overrides.spec,
    },
    status: overrides.status ?? {
      state: 'processed',
      processedTime: '2026-01-02T08:30:01.000Z',
      executions: ['checkout-agent-ready-x1'],
    },
  };
}
