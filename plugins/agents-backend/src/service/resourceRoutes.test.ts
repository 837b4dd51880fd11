import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';

const BASE = '/api/agents/apis/agents.krate.dev/v1alpha1';
const STACKS = `${BASE}/namespaces/acme/agentstacks`;

const stack = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, labels: { team: 'payments' } },
  spec: { runtime: 'scripted', model: 'm1', ...extra },
});

async function start(features: any[] = []) {
  const auditor = mockServices.auditor.mock();
  const backend = await startTestBackend({
    features: [agentsPlugin, auditor.factory, ...features],
  });
  return { server: backend.server, auditor };
}

/**
 * The plugin's stack controller writes each stack's status shortly after every change, which
 * moves its resourceVersion; steps with a precondition first wait for that write.
 */
async function reconciled(server: any, name: string, generation: number) {
  for (let attempt = 0; attempt < 250; attempt++) {
    const { body } = await request(server).get(`${STACKS}/${name}`);
    if (
      body.status?.profileDigest &&
      body.status.observedGeneration === generation
    ) {
      return body;
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  throw new Error(`${name} was not reconciled at generation ${generation}`);
}

describe('generic resource routes', () => {
  it('create, get, list, replace, patch, status and delete an AgentStack', async () => {
    const { server } = await start();

    const created = await request(server).post(STACKS).send(stack('reviewer'));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({
      namespace: 'acme',
      generation: 1,
    });

    const first = await reconciled(server, 'reviewer', 1);
    expect(first.spec).toEqual(created.body.spec);
    expect(first.metadata.uid).toBe(created.body.metadata.uid);

    const list = await request(server).get(
      `${STACKS}?labelSelector=team%3Dpayments`,
    );
    expect(list.body).toMatchObject({
      kind: 'AgentStackList',
      metadata: { resourceVersion: expect.any(String) },
      items: [{ metadata: { name: 'reviewer' } }],
    });

    const replaced = await request(server)
      .put(`${STACKS}/reviewer`)
      .send({ ...first, spec: { runtime: 'scripted', model: 'm2' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.metadata.generation).toBe(2);

    const stale = await request(server)
      .put(`${STACKS}/reviewer`)
      .send({ ...created.body, spec: { runtime: 'codex' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/was modified/);

    const patched = await request(server)
      .patch(`${STACKS}/reviewer`)
      .set('content-type', 'application/merge-patch+json')
      .send({ spec: { model: null, systemPrompt: 'Be brief' } });
    expect(patched.status).toBe(200);
    expect(patched.body.spec).toEqual({
      runtime: 'scripted',
      systemPrompt: 'Be brief',
    });
    expect(patched.body.metadata.generation).toBe(3);

    const third = await reconciled(server, 'reviewer', 3);
    const status = await request(server)
      .put(`${STACKS}/reviewer/status`)
      .send({
        ...third,
        status: { readiness: 'Ready', observedGeneration: 3 },
      });
    expect(status.body.status).toEqual({
      readiness: 'Ready',
      observedGeneration: 3,
    });
    expect(status.body.metadata.generation).toBe(3);

    const last = await reconciled(server, 'reviewer', 3);
    const deleted = await request(server).delete(
      `${STACKS}/reviewer?resourceVersion=${last.metadata.resourceVersion}`,
    );
    expect(deleted.status).toBe(200);
    expect((await request(server).get(`${STACKS}/reviewer`)).status).toBe(404);
  });

  it('audits every mutation with actor, action and before/after digests', async () => {
    const { server, auditor } = await start();
    await request(server).post(STACKS).send(stack('reviewer'));
    const first = await reconciled(server, 'reviewer', 1);
    await request(server)
      .put(`${STACKS}/reviewer`)
      .send({ ...first, spec: { runtime: 'codex' } });
    await reconciled(server, 'reviewer', 2);

    const trail = await request(server).get(
      '/api/agents/audit?kind=AgentStack&namespace=acme&name=reviewer',
    );
    expect(trail.status).toBe(200);
    const statusWrite = expect.objectContaining({
      action: 'update-status',
      actor: 'agents:stack-controller',
    });
    expect(trail.body.items).toEqual([
      statusWrite,
      expect.objectContaining({
        action: 'update',
        actor: 'user:default/mock',
        beforeDigest: expect.stringMatching(/^sha256:/),
        afterDigest: expect.stringMatching(/^sha256:/),
      }),
      statusWrite,
      expect.objectContaining({
        action: 'create',
        afterDigest: expect.any(String),
      }),
    ]);
    expect(trail.body.items[3]).not.toHaveProperty('beforeDigest');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'resource-mutation',
        meta: {
          action: 'create',
          kind: 'AgentStack',
          namespace: 'acme',
          name: 'reviewer',
        },
      }),
    );
  });

  it.each([
    [
      'an unknown resource type',
      'post',
      `${BASE}/namespaces/acme/pods`,
      {},
      400,
      /^kind: no resource type 'pods'/,
    ],
    [
      'a schema violation',
      'post',
      STACKS,
      stack('reviewer', { runtime: '' }),
      400,
      /spec\.runtime: must NOT have fewer than 1 characters/,
    ],
    [
      'an unknown field',
      'post',
      STACKS,
      stack('reviewer', { colour: 'blue' }),
      400,
      /spec\.colour: is not a known field/,
    ],
    [
      'a bad name',
      'post',
      STACKS,
      { ...stack('reviewer'), metadata: { name: 'Bad_Name' } },
      400,
      /metadata\.name: must match pattern/,
    ],
    [
      'a namespace that is not the URL one',
      'post',
      STACKS,
      { ...stack('x'), metadata: { name: 'x', namespace: 'globex' } },
      400,
      /^metadata\.namespace: 'globex' does not match/,
    ],
    [
      'a wrong kind',
      'post',
      STACKS,
      { ...stack('x'), kind: 'AgentSkill' },
      400,
      /^kind: must be AgentStack here/,
    ],
    [
      'a non-object body',
      'post',
      STACKS,
      [1, 2],
      400,
      /^body: must be a JSON object/,
    ],
    [
      'a bad limit',
      'get',
      `${STACKS}?limit=0`,
      undefined,
      400,
      /^limit: must be an integer/,
    ],
    [
      'a bad label selector',
      'get',
      `${STACKS}?labelSelector=team%3D%3Da%20b`,
      undefined,
      400,
      /^labelSelector: /,
    ],
    [
      'a bad continue token',
      'get',
      `${STACKS}?continue=nope`,
      undefined,
      400,
      /^continue: /,
    ],
    [
      'a filter the kind lacks',
      'get',
      `${STACKS}?phase=Running`,
      undefined,
      400,
      /^phase: AgentStack cannot be filtered by phase/,
    ],
    [
      'a missing object',
      'get',
      `${STACKS}/nobody`,
      undefined,
      404,
      /AgentStack acme\/nobody not found/,
    ],
    [
      'a merge patch that is not an object',
      'patch',
      `${STACKS}/nobody`,
      [1],
      400,
      /^body: a merge patch must be a JSON object/,
    ],
  ])(
    'answers %s with a 4xx naming the field',
    async (_, method, path, body, status, message) => {
      const { server } = await start();
      let req = (request(server) as any)[method](path);
      if (body !== undefined) req = req.send(body);
      const response = await req;
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(message);
    },
  );

  it('answers malformed JSON with 400 and an oversized body with 413, writing nothing', async () => {
    const { server } = await start();
    const malformed = await request(server)
      .post(STACKS)
      .set('content-type', 'application/json')
      .send('{"kind": ');
    expect(malformed.status).toBe(400);
    const huge = await request(server)
      .post(STACKS)
      .send(stack('big', { systemPrompt: 'x'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect((await request(server).get(STACKS)).body.items).toEqual([]);
  });

  it('requires credentials everywhere but health', async () => {
    const { server } = await start([
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ]);
    expect((await request(server).get(STACKS)).status).toBe(401);
    expect((await request(server).post(STACKS).send(stack('x'))).status).toBe(
      401,
    );
    expect((await request(server).get('/api/agents/health')).status).toBe(200);
  });
});
