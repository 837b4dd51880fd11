import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { agentsPlugin } from '../plugin';

const BASE = '/api/agents/apis/agents.krate.dev/v1alpha1';

const onlyAcme = {
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'agents',
  resourceType: 'agents-resource',
  conditions: {
    rule: 'IS_IN_NAMESPACE',
    resourceType: 'agents-resource',
    params: { namespaces: ['acme'] },
  },
} as const;

/** A policy that lets the caller write anything and read only what the given decision allows. */
function startWithReadDecision(readDecision: any) {
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests =>
      requests.map(({ permission }) =>
        permission.name.endsWith('.read')
          ? readDecision
          : { result: AuthorizeResult.ALLOW },
      ),
  });
  return startTestBackend({ features: [agentsPlugin, permissions.factory] });
}

const stack = (name: string) => ({
  metadata: { name },
  spec: { runtime: 'scripted' },
});

describe('permissions', () => {
  it('filters lists and gets by a conditional namespace decision', async () => {
    const { server } = await startWithReadDecision(onlyAcme);
    await request(server)
      .post(`${BASE}/namespaces/acme/agentstacks`)
      .send(stack('a'));
    await request(server)
      .post(`${BASE}/namespaces/globex/agentstacks`)
      .send(stack('g'));

    const all = await request(server).get(`${BASE}/agentstacks`);
    expect(all.body.items.map((i: any) => i.metadata.namespace)).toEqual([
      'acme',
    ]);
    expect(
      (await request(server).get(`${BASE}/namespaces/acme/agentstacks/a`))
        .status,
    ).toBe(200);
    const denied = await request(server).get(
      `${BASE}/namespaces/globex/agentstacks/g`,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'agents.stack.read is not allowed on AgentStack globex/g',
    );
  });

  it('refuses writes the policy denies, writing nothing', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(({ permission }) => ({
          result:
            permission.name === 'agents.stack.create'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await startTestBackend({
      features: [agentsPlugin, permissions.factory],
    });

    const response = await request(server)
      .post(`${BASE}/namespaces/acme/agentstacks`)
      .send(stack('a'));
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /^agents\.stack\.create is not allowed/,
    );
    expect(
      (await request(server).get(`${BASE}/agentstacks`)).body.items,
    ).toEqual([]);
  });

  it("reuses a user's decision across requests for agents.permissions.decisionCacheSeconds", async () => {
    const asked = async (decisionCacheSeconds?: number) => {
      const permissions = mockServices.permissions.mock({
        authorizeConditional: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      });
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          permissions.factory,
          mockServices.rootConfig.factory({
            data: { agents: { permissions: { decisionCacheSeconds } } },
          }),
        ],
      });
      const as = (user: string) =>
        request(server)
          .get(`${BASE}/agentstacks`)
          .set(
            'authorization',
            mockCredentials.user.header(`user:default/${user}`),
          );
      for (const user of ['alice', 'alice', 'alice', 'bob']) {
        expect((await as(user)).status).toBe(200);
      }
      return permissions.authorizeConditional.mock.calls.map(
        ([, options]) => (options as any).credentials.principal.userEntityRef,
      );
    };
    expect(await asked()).toEqual(['user:default/alice', 'user:default/bob']);
    expect(await asked(0)).toEqual([
      'user:default/alice',
      'user:default/alice',
      'user:default/alice',
      'user:default/bob',
    ]);
  });

  it('answers 403 on lists the policy denies outright', async () => {
    const { server } = await startWithReadDecision({
      result: AuthorizeResult.DENY,
    });
    const response = await request(server).get(`${BASE}/agentstacks`);
    expect(response.status).toBe(403);
  });
});
