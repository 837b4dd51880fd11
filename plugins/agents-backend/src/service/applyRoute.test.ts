import { startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';

const STACKS =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks';

const twoStacks = `
apiVersion: agents.krate.dev/v1alpha1
kind: AgentStack
metadata:
  name: reviewer
  namespace: acme
spec:
  runtime: scripted
  model: m1
---
apiVersion: agents.krate.dev/v1alpha1
kind: AgentStack
metadata:
  name: fixer
spec:
  runtime: codex
`;

function apply(server: any, body: string, query = '') {
  return request(server)
    .post(`/api/agents/apply${query}`)
    .set('content-type', 'application/yaml')
    .send(body);
}

describe('POST /api/agents/apply', () => {
  it('creates, leaves unchanged and configures, like kubectl apply', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });

    const first = await apply(server, twoStacks, '?namespace=acme');
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: any) => [i.name, i.result])).toEqual([
      ['reviewer', 'created'],
      ['fixer', 'created'],
    ]);

    const again = await apply(server, twoStacks, '?namespace=acme');
    expect(again.body.items.map((i: any) => i.result)).toEqual([
      'unchanged',
      'unchanged',
    ]);

    const changed = await apply(
      server,
      twoStacks.replace('model: m1', 'model: m2'),
      '?namespace=acme',
    );
    expect(changed.body.items.map((i: any) => i.result)).toEqual([
      'configured',
      'unchanged',
    ]);
    expect(
      (await request(server).get(`${STACKS}/reviewer`)).body.spec.model,
    ).toBe('m2');
  });

  it('takes a JSON List as well', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const response = await request(server)
      .post('/api/agents/apply')
      .send({
        kind: 'List',
        items: [
          {
            apiVersion: 'agents.krate.dev/v1alpha1',
            kind: 'AgentStack',
            metadata: { name: 'a', namespace: 'acme' },
            spec: { runtime: 'scripted' },
          },
        ],
      });
    expect(response.body.items).toEqual([
      expect.objectContaining({ name: 'a', result: 'created' }),
    ]);
  });

  it('dry-runs with the resulting objects and a diff, writing nothing', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    await apply(server, twoStacks, '?namespace=acme');

    const dry = await apply(
      server,
      twoStacks.replace('model: m1', 'model: m2'),
      '?namespace=acme&dryRun=All',
    );
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    const [reviewer] = dry.body.items;
    expect(reviewer.result).toBe('configured');
    expect(reviewer.object.spec.model).toBe('m2');
    expect(reviewer.diff).toContain('-  model: m1');
    expect(reviewer.diff).toContain('+  model: m2');
    expect(reviewer.diff).toMatch(/^\+\+\+ .* \(if applied\)$/m);
    expect(
      (await request(server).get(`${STACKS}/reviewer`)).body.spec.model,
    ).toBe('m1');
  });

  it('dry-runs creations through the store, storing nothing', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const dry = await apply(server, twoStacks, '?namespace=acme&dryRun=All');
    expect(dry.status).toBe(200);
    expect(dry.body.items.map((i: any) => [i.name, i.result])).toEqual([
      ['reviewer', 'created'],
      ['fixer', 'created'],
    ]);
    expect(dry.body.items[0].object.metadata).toMatchObject({
      name: 'reviewer',
      uid: expect.any(String),
      generation: 1,
    });
    expect(dry.body.items[0].diff).toMatch(/^--- \/dev\/null$/m);
    expect(dry.body.items[0].diff).toContain('+  model: m1');
    expect((await request(server).get(STACKS)).body.items).toEqual([]);
  });

  it('rejects the whole request when one document is invalid, naming document and field', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const body = `${twoStacks}---
apiVersion: agents.krate.dev/v1alpha1
kind: AgentStack
metadata:
  name: broken
  namespace: acme
spec:
  approvalMode: sometimes
`;
    const response = await apply(server, body, '?namespace=acme');

    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /^document 2 \(AgentStack acme\/broken\): spec\.runtime: is required; spec\.approvalMode: must be one of always, policy, never; nothing was applied$/,
    );
    expect(response.body.items.map((i: any) => i.result)).toEqual([
      'unchanged',
      'unchanged',
      'invalid',
    ]);
    expect((await request(server).get(STACKS)).body.items).toEqual([]);
  });

  it.each([
    ['malformed YAML', 'kind: [unclosed', /malformed YAML at line 1/],
    [
      'an unknown kind',
      'apiVersion: agents.krate.dev/v1alpha1\nkind: Pod\nmetadata: {name: a, namespace: acme}\nspec: {}',
      /kind: unknown kind "Pod"/,
    ],
    [
      'a missing namespace',
      'apiVersion: agents.krate.dev/v1alpha1\nkind: AgentStack\nmetadata: {name: a}\nspec: {runtime: x}',
      /metadata\.namespace: is required/,
    ],
  ])('answers %s with 400', async (_, body, message) => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    const response = await apply(server, body);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(message);
  });

  it('answers an empty body and a bad dryRun with 400', async () => {
    const { server } = await startTestBackend({ features: [agentsPlugin] });
    expect((await apply(server, '')).status).toBe(400);
    expect(
      (await apply(server, twoStacks, '?dryRun=Server')).body.error.message,
    ).toMatch(/^dryRun: /);
  });
});
