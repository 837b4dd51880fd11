import { mockServices } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { parseDelivery } from '../triggers/parseDelivery';
import {
  FORGE_UPDATED_ANNOTATION,
  WorkItemDeliveries,
} from './WorkItemDeliveries';
import { workItemName } from './workItemName';

const databases = createTestDatabases();
const github = { name: 'github', type: 'github' as const, secret: 's' };

let deliveries = 0;
/** A verified delivery as parseDelivery reads it, GitHub's headers or Gitea's. */
function delivered(
  event: string,
  payload: object,
  forge: 'github' | 'gitea' = 'github',
) {
  deliveries++;
  return parseDelivery(
    github,
    { [`x-${forge}-event`]: event, [`x-${forge}-delivery`]: `d-${deliveries}` },
    payload,
  );
}

/** GitHub's `issues` payload. */
const issueEvent = (
  action: string,
  issue: { title?: string; state?: string; labels?: string[]; updated: string },
) => ({
  action,
  issue: {
    number: 42,
    title: issue.title ?? 'Checkout total is off',
    state: issue.state ?? 'open',
    labels: (issue.labels ?? []).map(name => ({ name, color: 'ededed' })),
    html_url: 'https://github.com/acme/checkout-web/issues/42',
    updated_at: issue.updated,
  },
  repository: { full_name: 'Acme/checkout-web' },
});

/** GitHub's or Gitea's `pull_request` payload. */
const pullEvent = (
  action: string,
  pull: {
    state: string;
    merged?: boolean;
    head?: string | null;
    updated: string;
  },
) => ({
  action,
  number: 7,
  pull_request: {
    number: 7,
    title: 'Round totals to the cent',
    state: pull.state,
    merged: pull.merged ?? false,
    labels: [{ name: 'payments' }],
    html_url: 'https://github.com/acme/checkout-web/pull/7',
    head: {
      ref: 'fix-rounding',
      repo:
        pull.head === null
          ? null
          : { full_name: pull.head ?? 'acme/checkout-web' },
    },
    updated_at: pull.updated,
  },
  repository: { full_name: 'acme/checkout-web' },
});

describe.each(databases.eachSupportedId())(
  'WorkItemDeliveries on %p',
  databaseId => {
    async function setup() {
      const { store, audit } = await createTestStore(databases, databaseId);
      const logger = mockServices.logger.mock();
      const workItems = new WorkItemDeliveries({ store, logger });
      const issue = () =>
        store.get('WorkItem', 'acme', 'checkout-web-issue-42') as Promise<any>;
      return { store, audit, workItems, issue, logger };
    }

    it('keeps one WorkItem per issue, updated by each delivery, written and audited as the trigger controller', async () => {
      const { store, audit, workItems, issue } = await setup();
      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('opened', { updated: '2026-12-07T10:00:00Z' }),
        ),
      );
      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('labeled', {
            title: 'Checkout total is off by a cent\u0000',
            labels: ['agent:ready', 'bug'],
            updated: '2026-12-07T10:05:00Z',
          }),
        ),
      );
      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('closed', {
            title: 'Checkout total is off by a cent',
            state: 'closed',
            labels: ['bug'],
            updated: '2026-12-07T10:09:00Z',
          }),
          'gitea',
        ),
      );

      const { items } = await store.list('WorkItem', {
        namespace: 'acme',
        limit: 10,
      });
      expect(items.map(item => item.metadata.name)).toEqual([
        'checkout-web-issue-42',
      ]);
      const stored = await issue();
      expect(stored.spec).toEqual({
        repository: 'acme/checkout-web',
        kind: 'issue',
        number: 42,
        title: 'Checkout total is off by a cent',
        url: 'https://github.com/acme/checkout-web/issues/42',
        state: 'closed',
        labels: ['bug'],
      });
      expect(stored.metadata.annotations[FORGE_UPDATED_ANNOTATION]).toBe(
        '2026-12-07T10:09:00.000Z',
      );
      const trail = await audit.listForTarget({
        target: {
          kind: 'WorkItem',
          namespace: 'acme',
          name: 'checkout-web-issue-42',
        },
        limit: 10,
      });
      expect(trail.map(record => [record.action, record.actor])).toEqual([
        ['update', 'agents:trigger-controller'],
        ['update', 'agents:trigger-controller'],
        ['create', 'agents:trigger-controller'],
      ]);
    });

    it('does not let an older delivery overwrite a newer state, and keeps what the portal added', async () => {
      const { store, workItems, issue } = await setup();
      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('closed', {
            state: 'closed',
            updated: '2026-12-07T11:00:00Z',
          }),
        ),
      );
      const closed = await issue();
      await store.update(
        { ...closed, spec: { ...closed.spec, boardColumn: 'Done' } },
        { actor: 'user:default/alice' },
      );
      // The `labeled` delivery of before the close arrives late (a redelivery, say).
      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('labeled', {
            labels: ['agent:ready'],
            updated: '2026-12-07T10:30:00Z',
          }),
        ),
      );
      const after = await issue();
      expect(after.spec).toMatchObject({
        state: 'closed',
        labels: [],
        boardColumn: 'Done',
      });
      expect(after.metadata.annotations[FORGE_UPDATED_ANNOTATION]).toBe(
        '2026-12-07T11:00:00.000Z',
      );

      await workItems.onDelivery(
        delivered(
          'issues',
          issueEvent('reopened', {
            state: 'open',
            updated: '2026-12-07T12:00:00Z',
          }),
        ),
      );
      expect((await issue()).spec).toMatchObject({
        state: 'open',
        boardColumn: 'Done',
      });
    });

    it('converges concurrent deliveries of two instances on one record, the newest state', async () => {
      const { store, workItems, issue, logger } = await setup();
      const other = new WorkItemDeliveries({ store, logger });
      const times = ['10:01', '10:02', '10:03', '10:04', '10:05', '10:06'];
      await Promise.all(
        times.map((time, index) =>
          (index % 2 ? other : workItems).onDelivery(
            delivered(
              'issues',
              issueEvent('edited', {
                title: `Title at ${time}`,
                updated: `2026-12-07T${time}:00Z`,
              }),
            ),
          ),
        ),
      );
      const { items } = await store.list('WorkItem', {
        namespace: 'acme',
        limit: 10,
      });
      expect(items).toHaveLength(1);
      expect((await issue()).spec.title).toBe('Title at 10:06');
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('records a merged pull request as merged, its head, and a fork (or a deleted one) as another repository', async () => {
      const { store, workItems } = await setup();
      const pull = () =>
        store.get('WorkItem', 'acme', 'checkout-web-pr-7') as Promise<any>;
      await workItems.onDelivery(
        delivered(
          'pull_request',
          pullEvent('opened', {
            state: 'open',
            updated: '2026-12-07T10:00:00Z',
          }),
          'gitea',
        ),
      );
      expect((await pull()).spec).toEqual({
        repository: 'acme/checkout-web',
        kind: 'pull-request',
        number: 7,
        title: 'Round totals to the cent',
        url: 'https://github.com/acme/checkout-web/pull/7',
        state: 'open',
        labels: ['payments'],
        head: { repository: 'acme/checkout-web', ref: 'fix-rounding' },
      });
      await workItems.onDelivery(
        delivered(
          'pull_request',
          pullEvent('closed', {
            state: 'closed',
            merged: true,
            updated: '2026-12-07T10:10:00Z',
          }),
        ),
      );
      expect((await pull()).spec.state).toBe('merged');
      await workItems.onDelivery(
        delivered(
          'pull_request',
          pullEvent('edited', {
            state: 'closed',
            head: 'Mallory/checkout-web',
            updated: '2026-12-07T10:20:00Z',
          }),
        ),
      );
      expect((await pull()).spec).toMatchObject({
        state: 'closed',
        head: { repository: 'mallory/checkout-web', ref: 'fix-rounding' },
      });
      await workItems.onDelivery(
        delivered(
          'pull_request',
          pullEvent('edited', {
            state: 'open',
            head: null,
            updated: '2026-12-07T10:30:00Z',
          }),
        ),
      );
      expect((await pull()).spec.head.repository).not.toBe('acme/checkout-web');
    });

    it('records nothing for other events, or an issue event about a pull request', async () => {
      const { store, workItems } = await setup();
      await workItems.onDelivery(
        delivered('push', {
          ref: 'refs/heads/main',
          repository: { full_name: 'acme/checkout-web' },
        }),
      );
      await workItems.onDelivery(
        delivered('issue_comment', {
          ...issueEvent('created', { updated: '2026-12-07T10:00:00Z' }),
          comment: { body: 'Looking into it' },
        }),
      );
      const onPull = issueEvent('closed', {
        state: 'closed',
        updated: '2026-12-07T10:00:00Z',
      });
      await workItems.onDelivery(
        delivered('issues', {
          ...onPull,
          issue: { ...onPull.issue, pull_request: { url: 'x' } },
        }),
      );
      const { items } = await store.list('WorkItem', {
        namespace: 'acme',
        limit: 10,
      });
      expect(items).toEqual([]);
    });
  },
);

describe('workItemName', () => {
  it('is a DNS label per repository, kind and number, distinct for repositories whose names it has to change', () => {
    expect(workItemName('acme/checkout-web', 'issue', 42)).toBe(
      'checkout-web-issue-42',
    );
    expect(workItemName('acme/checkout-web', 'pull-request', 42)).toBe(
      'checkout-web-pr-42',
    );
    const dotted = workItemName('acme/checkout.web', 'issue', 42);
    expect(dotted).toMatch(/^checkout-web-[0-9a-f]{8}-issue-42$/);
    const long = workItemName(`acme/${'a'.repeat(80)}`, 'issue', 123456);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(workItemName('acme/___', 'issue', 1)).toMatch(
      /^[0-9a-f]{8}-issue-1$/,
    );
  });
});
