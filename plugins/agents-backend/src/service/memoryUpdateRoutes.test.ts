import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { agentsPermissions } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { execFileSync } from 'node:child_process';
import request from 'supertest';
import { createMemoryRepository } from '../__testUtils__/memoryRepository';
import { createTestStore } from '../__testUtils__/createTestStore';
import { permissionsDenying } from '../__testUtils__/permissionsDenying';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { MemoryService } from '../memory/MemoryService';
import { fallbackIdentity, MemoryUpdates } from '../memory/updates';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { agentsPermissionRules, agentsResourceRef } from '../permissions/rules';
import { ResourceStore } from '../resources/ResourceStore';
import { errorResponses } from './errorResponses';
import { readBody } from './input/readBody';
import { createMemoryUpdateRoutes } from './memoryUpdateRoutes';
import { createResourceRoutes } from './resourceRoutes';
import { ResourceService } from './ResourceService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const BASE = '/api/agents/memory/updates';
const bob = 'user:default/bob';
const asBob = mockCredentials.user.header(bob);

describe.each(databases.eachSupportedId())('memory update routes on %p', id => {
  let store: ResourceStore;
  let repository: ReturnType<typeof createMemoryRepository>;

  beforeAll(async () => {
    store = (await createTestStore(databases, id)).store;
  });
  beforeEach(() => {
    repository = createMemoryRepository();
  });
  afterEach(() => repository.remove());

  async function start(
    permissions: { factory: any } = permissionsDenying(() => false),
  ) {
    const memory = new MemoryService([
      { org: 'acme', repositoryPath: repository.path },
    ]);
    const updates = new MemoryUpdates({
      store,
      memory,
      identities: async ref => fallbackIdentity(ref),
    });
    const plugin = createBackendPlugin({
      pluginId: 'agents',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            permissions: coreServices.permissions,
            permissionsRegistry: coreServices.permissionsRegistry,
            auditor: coreServices.auditor,
            logger: coreServices.logger,
          },
          async init(deps) {
            deps.permissionsRegistry.addResourceType({
              resourceRef: agentsResourceRef,
              permissions: agentsPermissions,
              rules: agentsPermissionRules,
              getResources: async refs => refs.map(() => undefined),
            });
            const access = new ResourceAccess(
              deps.httpAuth,
              deps.permissions,
              deps.permissionsRegistry.getPermissionRuleset(agentsResourceRef),
            );
            const router = Router();
            router.use(readBody());
            router.use(
              createMemoryUpdateRoutes({
                updates,
                access,
                auditor: deps.auditor,
                userInfo: {
                  getUserInfo: async () => ({
                    userEntityRef: 'user:default/mock',
                    ownershipEntityRefs: ['user:default/mock'],
                  }),
                },
              }),
            );
            router.use(
              createResourceRoutes(
                new ResourceService(store, access, deps.auditor),
              ),
            );
            router.use(errorResponses(deps.logger));
            deps.httpRouter.use(router);
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [plugin, permissions.factory],
    });
    return server;
  }

  const proposal = {
    org: 'acme',
    title: 'Glossary: chargeback',
    changes: [
      {
        path: 'glossary/chargeback.md',
        content: '# chargeback\n\nA card payment the bank reversed.\n',
      },
    ],
  };

  it('proposes, lists, reviews and merges through the routes', async () => {
    const server = await start();
    const created = await request(server).post(BASE).send(proposal);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'AgentMemoryUpdate',
      metadata: { namespace: 'acme' },
      spec: {
        proposedBy: 'user:default/mock',
        source: { kind: 'user' },
        files: [{ path: 'glossary/chargeback.md', change: 'added' }],
      },
      status: { phase: 'Proposed', validation: { valid: true } },
    });
    const { name } = created.body.metadata;

    const listed = await request(server).get(`${BASE}?org=acme&phase=Proposed`);
    expect(listed.status).toBe(200);
    expect(listed.body.withheld).toBe(0);
    expect(listed.body.items.map((u: any) => u.metadata.name)).toContain(name);
    expect(
      (await request(server).get(`${BASE}/acme/${name}`)).body.metadata.name,
    ).toBe(name);

    const self = await request(server)
      .post(`${BASE}/acme/${name}/review`)
      .send({ decision: 'approve' });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(
      /^user:default\/mock proposed acme\/.* and cannot approve it/,
    );
    const approved = await request(server)
      .post(`${BASE}/acme/${name}/review`)
      .set('authorization', asBob)
      .send({ decision: 'approve', comment: 'good' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toMatchObject({
      phase: 'Approved',
      reviews: [{ reviewer: bob, decision: 'approved', comment: 'good' }],
    });

    const merged = await request(server).post(`${BASE}/acme/${name}/merge`);
    expect(merged.status).toBe(200);
    expect(merged.body.status).toMatchObject({
      phase: 'Merged',
      mergedBy: 'user:default/mock',
    });
    const commit = merged.body.status.mergedCommit;
    expect(
      execFileSync('git', ['log', '-1', '--format=%H %an <%ae>', 'main'], {
        cwd: repository.path,
        encoding: 'utf8',
      }).trim(),
    ).toBe(`${commit} bob <bob@users.noreply.krate.local>`);

    const again = await request(server)
      .post(`${BASE}/acme/${name}/review`)
      .set('authorization', asBob)
      .send({ decision: 'reject' });
    expect(again.status).toBe(409);
    expect(
      (await request(server).post(`${BASE}/acme/${name}/merge`)).status,
    ).toBe(409);
  });

  it.each([
    [{ ...proposal, extra: 1 }, 'extra: unknown field'],
    [{ ...proposal, org: 'Not An Org' }, 'org: must be an org'],
    [{ ...proposal, title: '' }, 'title: must not be empty'],
    [
      { ...proposal, changes: [{ path: '../outside.md', content: 'x' }] },
      "changes[0].path: '../outside.md' must stay inside the repository",
    ],
    [
      { ...proposal, changes: [{ path: '/etc/passwd', content: 'x' }] },
      "changes[0].path: '/etc/passwd' must be relative",
    ],
    [
      {
        ...proposal,
        changes: [{ path: '.git/hooks/post-commit', content: 'x' }],
      },
      "changes[0].path: '.git/hooks/post-commit' must not be inside .git",
    ],
    [
      { ...proposal, changes: [{ path: 'a.md', content: 1 }] },
      'changes[0].content: must be a string',
    ],
    [{ org: 'acme', title: 'x' }, 'changes: give the files to change'],
    [{ ...proposal, patch: 'x' }, 'patch: give either patch or changes'],
    [{ org: 'acme', title: 'x', patch: 'not a diff' }, 'patch: does not apply'],
    [
      { ...proposal, baseCommit: 'main' },
      'baseCommit: must be a full commit id',
    ],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const server = await start();
    const before = await request(server).get(`${BASE}?org=acme&limit=500`);
    const response = await request(server).post(BASE).send(body);
    expect(response.status).toBe(400);
    expect(response.body.error.message.startsWith(message)).toBe(true);
    const after = await request(server).get(`${BASE}?org=acme&limit=500`);
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('answers 400 for bad reviews and queries, 404 for unknown orgs and proposals', async () => {
    const server = await start();
    const { name } = (await request(server).post(BASE).send(proposal)).body
      .metadata;
    const review = await request(server)
      .post(`${BASE}/acme/${name}/review`)
      .set('authorization', asBob)
      .send({ decision: 'maybe' });
    expect(review.status).toBe(400);
    expect(review.body.error.message).toBe(
      "decision: must be 'approve' or 'reject'",
    );
    const merge = await request(server)
      .post(`${BASE}/acme/${name}/merge`)
      .send({ force: true });
    expect(merge.body.error.message).toBe('force: unknown field');
    expect(
      (await request(server).get(`${BASE}?org=acme&phase=Done`)).body.error
        .message,
    ).toMatch(/^phase: must be one of Proposed, Approved/);
    expect((await request(server).get(BASE)).status).toBe(400);
    expect((await request(server).get(`${BASE}?org=globex`)).status).toBe(404);
    expect((await request(server).get(`${BASE}/acme/nothing`)).status).toBe(
      404,
    );
  });

  it.each([
    ['agents.memory.read', 'get', `${BASE}?org=acme`],
    ['agents.memory.propose', 'post', BASE],
    ['agents.memory.review', 'review', ''],
    ['agents.memory.review', 'merge', ''],
  ])('answers 403 without %s (%s)', async (permission, action, path) => {
    const allowed = await start();
    const { name } = (await request(allowed).post(BASE).send(proposal)).body
      .metadata;
    const denied = await start(permissionsDenying(p => p === permission));
    let response;
    if (action === 'get') response = await request(denied).get(path);
    else if (action === 'post')
      response = await request(denied).post(path).send(proposal);
    else
      response = await request(denied)
        .post(`${BASE}/acme/${name}/${action}`)
        .set('authorization', asBob)
        .send(action === 'review' ? { decision: 'approve' } : {});
    expect(response.status).toBe(403);
    expect(
      (await request(allowed).get(`${BASE}/acme/${name}`)).body.status.phase,
    ).toBe('Proposed');
  });

  it('refuses to write memory updates through the generic resource routes (405), but reads them', async () => {
    const server = await start();
    const created = (await request(server).post(BASE).send(proposal)).body;
    const url =
      '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentmemoryupdates';
    const forged = await request(server)
      .post(url)
      .send({
        ...created,
        metadata: { name: 'forged', namespace: 'acme' },
        status: { phase: 'Merged' },
      });
    expect(forged.status).toBe(405);
    expect(forged.body.error.message).toMatch(
      /^AgentMemoryUpdate records cannot be written through this route; use POST \/api\/agents\/memory\/updates/,
    );
    const name = created.metadata.name;
    expect(
      (
        await request(server)
          .put(`${url}/${name}/status`)
          .send({ ...created, status: { phase: 'Approved' } })
      ).status,
    ).toBe(405);
    expect((await request(server).delete(`${url}/${name}`)).status).toBe(405);
    const read = await request(server).get(`${url}/${name}`);
    expect(read.status).toBe(200);
    expect(read.body.status.phase).toBe('Proposed');
    expect(
      await store.get('AgentMemoryUpdate', 'acme', 'forged'),
    ).toBeUndefined();
  });
});
