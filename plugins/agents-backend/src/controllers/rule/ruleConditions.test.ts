import {
  AgentStack,
  AgentTriggerRule,
  Condition,
} from '@krate/plugin-agents-common';
import { WebhookEndpoint } from '../../triggers/webhookEndpoints';
import { object } from '../stack/testObjects';
import { ruleConditions } from './ruleConditions';

const t1 = new Date('2026-01-01T00:00:00Z');
const t2 = new Date('2026-01-02T00:00:00Z');

const SECRET = 's'.repeat(16);
const github: WebhookEndpoint = {
  name: 'github',
  type: 'github',
  secret: SECRET,
};
const acmeHook: WebhookEndpoint = {
  name: 'acme-hook',
  type: 'generic',
  secret: SECRET,
  namespace: 'acme',
};
const betaHook: WebhookEndpoint = {
  ...acmeHook,
  name: 'beta-hook',
  namespace: 'beta',
};
const endpointsOf = (...endpoints: WebhookEndpoint[]) =>
  new Map(endpoints.map(e => [e.name, e]));

const rule = (spec: Record<string, unknown> = {}) =>
  object('AgentTriggerRule', 'triage', {
    lifecycle: 'active',
    source: { events: ['issue'] },
    stack: 'reviewer',
    ...spec,
  }) as AgentTriggerRule;

const readyStack = object(
  'AgentStack',
  'reviewer',
  { runtime: 'mux' },
  { readiness: 'Ready' },
) as AgentStack;

const conditionOf = (conditions: Condition[], type: string) =>
  conditions.find(c => c.type === type);

describe('ruleConditions', () => {
  it('is Ready when the rule is active, its stack runs and an endpoint delivers', () => {
    expect(ruleConditions(rule(), readyStack, endpointsOf(github), t1)).toEqual(
      [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message:
            'The rule is active, its stack can run and an endpoint delivers its events.',
          lastTransitionTime: t1.toISOString(),
        },
        {
          type: 'StackReady',
          status: 'True',
          reason: 'StackReady',
          message: 'AgentStack acme/reviewer is Ready.',
          lastTransitionTime: t1.toISOString(),
        },
        {
          type: 'SourceReady',
          status: 'True',
          reason: 'EndpointConfigured',
          message: 'Endpoint github delivers issue events to org acme.',
          lastTransitionTime: t1.toISOString(),
        },
        {
          type: 'Active',
          status: 'True',
          reason: 'Active',
          message:
            'spec.lifecycle is active: matching deliveries dispatch runs.',
          lastTransitionTime: t1.toISOString(),
        },
      ],
    );
  });

  it.each([
    {
      when: 'is Unknown while the stack controller has not resolved the stack',
      spec: {},
      stack: { ...readyStack, status: undefined } as AgentStack,
      ready: {
        status: 'Unknown',
        reason: 'StackNotResolved',
        message:
          'Whether the rule can dispatch is not known yet (StackNotResolved). The stack controller has not resolved AgentStack acme/reviewer yet.',
      },
    },
    {
      when: 'names every failure, the stack first',
      spec: { lifecycle: 'draft', source: { events: ['webhook'] } },
      stack: undefined,
      ready: {
        status: 'False',
        reason: 'StackNotFound',
        message:
          'The rule cannot dispatch (StackNotFound, NoWebhookEndpoint, LifecycleDraft). AgentStack acme/reviewer does not exist; create it or set spec.stack to an existing stack. No endpoint in agents.webhooks delivers webhook events to org acme. spec.lifecycle is draft: only active rules take deliveries; dry-runs still answer.',
      },
    },
  ])('Ready $when', ({ spec, stack, ready }) => {
    expect(
      ruleConditions(rule(spec), stack, endpointsOf(github), t1)[0],
    ).toMatchObject(ready);
  });

  it('checks that the named endpoint delivers the rule its events', () => {
    const source = (
      spec: Record<string, unknown>,
      ...endpoints: WebhookEndpoint[]
    ) =>
      conditionOf(
        ruleConditions(rule(spec), readyStack, endpointsOf(...endpoints), t1),
        'SourceReady',
      );
    expect(
      source(
        { source: { events: ['webhook'], webhook: 'beta-hook' } },
        betaHook,
      ),
    ).toMatchObject({
      status: 'False',
      reason: 'WebhookEndpointMismatch',
      message:
        "spec.source.webhook names endpoint 'beta-hook', a generic endpoint of org beta, which delivers webhook events to that org only; none of the rule's events (webhook) reach org acme through it.",
    });
    expect(
      source({ source: { events: ['webhook'], webhook: 'github' } }, github),
    ).toMatchObject({ status: 'False', reason: 'WebhookEndpointMismatch' });
    expect(
      source({ source: { events: ['issue'], webhook: 'gitea' } }),
    ).toMatchObject({
      status: 'False',
      reason: 'WebhookEndpointNotConfigured',
      message: expect.stringContaining('(configured: none)'),
    });
    expect(
      source(
        { source: { events: ['webhook', 'push', 'schedule'] } },
        github,
        acmeHook,
        betaHook,
      ),
    ).toMatchObject({
      status: 'True',
      message:
        'Endpoints github, acme-hook deliver webhook, push events to org acme. No endpoint delivers schedule events.',
    });
    expect(
      source({ source: { events: ['schedule'], schedule: '0 9 * * 1-5' } }),
    ).toMatchObject({
      status: 'True',
      reason: 'Scheduled',
      message: "The schedule '0 9 * * 1-5' (UTC) fires schedule events.",
    });
    expect(
      source(
        {
          source: {
            events: ['push', 'schedule'],
            schedule: '0 9 * * *',
            timeZone: 'Europe/Paris',
          },
        },
        github,
      ),
    ).toMatchObject({
      status: 'True',
      message:
        "Endpoint github delivers push events to org acme. The schedule '0 9 * * *' (Europe/Paris) fires schedule events.",
    });
  });

  it('says a schedule-only rule gets its events from its schedule', () => {
    const scheduled = rule({
      source: { events: ['schedule'], schedule: '0 9 * * 1-5' },
    });
    expect(
      conditionOf(
        ruleConditions(scheduled, readyStack, endpointsOf(), t1),
        'Ready',
      ),
    ).toMatchObject({
      status: 'True',
      message:
        'The rule is active, its stack can run and its schedule fires its events.',
    });
  });

  it('keeps transition times while a condition stays the same', () => {
    const first = ruleConditions(rule(), readyStack, endpointsOf(github), t1);
    const paused = rule({ lifecycle: 'paused' });
    paused.status = { conditions: first };
    const second = ruleConditions(paused, readyStack, endpointsOf(github), t2);
    expect(conditionOf(second, 'StackReady')?.lastTransitionTime).toBe(
      t1.toISOString(),
    );
    expect(conditionOf(second, 'Active')).toMatchObject({
      status: 'False',
      reason: 'LifecyclePaused',
      lastTransitionTime: t2.toISOString(),
    });
  });
});
