import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import { CachedPermissionDecisions } from './CachedPermissionDecisions';

const read = createPermission({
  name: 'agents.run.read',
  attributes: { action: 'read' },
  resourceType: 'agents-resource',
});
const cancel = createPermission({
  name: 'agents.run.cancel',
  attributes: { action: 'update' },
  resourceType: 'agents-resource',
});

/** A policy answering ALLOW for reads and DENY otherwise, recording every batch it is asked. */
function countingPolicy() {
  const asked: string[][] = [];
  let failNext = false;
  return {
    asked,
    failNextCall: () => {
      failNext = true;
    },
    async authorizeConditional(queries: QueryPermissionRequest[]) {
      asked.push(queries.map(q => q.permission.name));
      if (failNext) {
        failNext = false;
        throw new Error('permission backend unavailable');
      }
      return queries.map(q => ({
        result: q.permission.name.endsWith('.read')
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })) as any;
    },
  };
}

function setUp(ttlMs = 10_000, maxEntries?: number) {
  const policy = countingPolicy();
  let now = 1_000;
  const cache = new CachedPermissionDecisions(policy, {
    ttlMs,
    maxEntries,
    now: () => now,
  });
  return {
    policy,
    cache,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const alice = { credentials: mockCredentials.user('user:default/alice') };
const bob = { credentials: mockCredentials.user('user:default/bob') };

describe('CachedPermissionDecisions', () => {
  it("reuses a user's decision until it expires", async () => {
    const { policy, cache, advance } = setUp();
    const first = await cache.authorizeConditional(
      [{ permission: read }],
      alice,
    );
    advance(9_999);
    const second = await cache.authorizeConditional(
      [{ permission: read }],
      alice,
    );
    expect(first).toEqual([{ result: AuthorizeResult.ALLOW }]);
    expect(second).toEqual(first);
    expect(policy.asked).toEqual([['agents.run.read']]);

    advance(1);
    await cache.authorizeConditional([{ permission: read }], alice);
    expect(policy.asked).toHaveLength(2);
  });

  it('keeps decisions per user and per permission, asking only for what is missing', async () => {
    const { policy, cache } = setUp();
    await cache.authorizeConditional([{ permission: read }], alice);
    await cache.authorizeConditional([{ permission: read }], bob);
    const mixed = await cache.authorizeConditional(
      [{ permission: cancel }, { permission: read }],
      alice,
    );
    expect(mixed).toEqual([
      { result: AuthorizeResult.DENY },
      { result: AuthorizeResult.ALLOW },
    ]);
    expect(policy.asked).toEqual([
      ['agents.run.read'],
      ['agents.run.read'],
      ['agents.run.cancel'],
    ]);
  });

  it('shares one call between concurrent asks', async () => {
    const { policy, cache } = setUp();
    await Promise.all([
      cache.authorizeConditional([{ permission: read }], alice),
      cache.authorizeConditional([{ permission: read }], alice),
    ]);
    expect(policy.asked).toHaveLength(1);
  });

  it('does not remember a failed call', async () => {
    const { policy, cache } = setUp();
    policy.failNextCall();
    await expect(
      cache.authorizeConditional([{ permission: read }], alice),
    ).rejects.toThrow('permission backend unavailable');
    await expect(
      cache.authorizeConditional([{ permission: read }], alice),
    ).resolves.toEqual([{ result: AuthorizeResult.ALLOW }]);
    expect(policy.asked).toHaveLength(2);
  });

  it('passes service principals and a zero time-to-live straight through', async () => {
    const service = { credentials: mockCredentials.service('plugin:catalog') };
    const cached = setUp();
    await cached.cache.authorizeConditional([{ permission: read }], service);
    await cached.cache.authorizeConditional([{ permission: read }], service);
    expect(cached.policy.asked).toHaveLength(2);

    const uncached = setUp(0);
    await uncached.cache.authorizeConditional([{ permission: read }], alice);
    await uncached.cache.authorizeConditional([{ permission: read }], alice);
    expect(uncached.policy.asked).toHaveLength(2);
  });

  it('drops the oldest decisions beyond its size', async () => {
    const { policy, cache } = setUp(10_000, 1);
    await cache.authorizeConditional([{ permission: read }], alice);
    await cache.authorizeConditional([{ permission: read }], bob);
    await cache.authorizeConditional([{ permission: read }], bob);
    await cache.authorizeConditional([{ permission: read }], alice);
    expect(policy.asked).toHaveLength(3);
  });
});
