import { ConfigReader, JsonObject } from '@backstage/config';
import { parseDelivery, triggerSourcesOf } from './parseDelivery';
import { readWebhookEndpoints } from './webhookEndpoints';

describe('triggerSourcesOf', () => {
  it.each([
    ['issues', { action: 'opened' }, ['issue']],
    ['issues', { action: 'labeled' }, ['label', 'issue']],
    ['issues', { action: 'label_updated' }, ['label', 'issue']],
    ['pull_request', { action: 'synchronize' }, ['pull-request']],
    ['pull_request', { action: 'labeled' }, ['label', 'pull-request']],
    ['issue_comment', { action: 'created' }, ['comment']],
    ['push', { ref: 'refs/heads/main' }, ['push']],
    ['push', { ref: 'refs/tags/v1.2.0' }, ['tag']],
    ['create', { ref_type: 'tag', ref: 'v1.2.0' }, ['tag']],
    ['create', { ref_type: 'branch', ref: 'feature' }, []],
    ['check_run', { action: 'completed' }, ['check']],
    ['ping', { zen: 'Design for failure.' }, []],
  ])('%s %j → %j', (event, payload, sources) => {
    expect(triggerSourcesOf(event, payload)).toEqual(sources);
  });
});

describe('parseDelivery', () => {
  const github = { name: 'github', type: 'github' as const, secret: 's' };
  const headers = { 'x-gitea-event': 'issues', 'x-gitea-delivery': 'd-1' };

  it("reads Gitea's headers too, and takes the org from the lower-cased repository", () => {
    expect(
      parseDelivery(github, headers, {
        action: 'label_updated',
        repository: { full_name: 'Acme/Checkout-Web' },
      }),
    ).toMatchObject({
      endpoint: 'github',
      deliveryId: 'd-1',
      eventType: 'issues.label_updated',
      sources: ['label', 'issue'],
      repository: 'acme/checkout-web',
      namespace: 'acme',
    });
  });

  it('gives a generic endpoint its configured org and refuses a repository of another', () => {
    const generic = {
      name: 'ci',
      type: 'generic' as const,
      secret: 's',
      namespace: 'acme',
    };
    expect(
      parseDelivery(generic, { 'x-krate-delivery': 'b-7' }, { status: 'red' }),
    ).toMatchObject({ sources: ['webhook'], namespace: 'acme' });
    expect(() =>
      parseDelivery(
        generic,
        { 'x-krate-delivery': 'b-8' },
        { repository: { full_name: 'globex/web' } },
      ),
    ).toThrow(
      'repository.full_name: globex/web is not a repository of org acme',
    );
  });

  it('names the missing delivery id and event type', () => {
    expect(() => parseDelivery(github, {}, {})).toThrow(/^X-GitHub-Delivery: /);
    expect(() =>
      parseDelivery(github, { 'x-github-delivery': 'd' }, {}),
    ).toThrow(
      'X-GitHub-Event: an event name like issues is required (or X-Gitea-Event)',
    );
  });
});

describe('readWebhookEndpoints', () => {
  const read = (webhooks: JsonObject[]) =>
    readWebhookEndpoints(new ConfigReader({ agents: { webhooks } }));

  it('reads endpoints, github by default', () => {
    expect(
      read([{ name: 'github', secret: 'sixteen-chars-ok' }]).get('github'),
    ).toEqual({
      name: 'github',
      type: 'github',
      secret: 'sixteen-chars-ok',
      namespace: undefined,
    });
  });

  it.each([
    [[{ name: 'GitHub', secret: 'sixteen-chars-ok' }], /\[0\]\.name: /],
    [[{ name: 'gh', secret: 'short' }], /\[0\]\.secret: /],
    [
      [{ name: 'gh', type: 'gitlab', secret: 'sixteen-chars-ok' }],
      /\[0\]\.type: /,
    ],
    [
      [{ name: 'ci', type: 'generic', secret: 'sixteen-chars-ok' }],
      /\[0\]\.namespace: /,
    ],
    [
      [
        { name: 'gh', secret: 'sixteen-chars-ok' },
        { name: 'gh', secret: 'sixteen-chars-ok' },
      ],
      /\[1\]\.name: /,
    ],
  ])('refuses %j at startup', (webhooks, message) => {
    expect(() => read(webhooks)).toThrow(message);
  });
});
