import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';

const databases = createTestDatabases();
const STACKS =
  '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentstacks';

describe.each(databases.eachSupportedId())(
  'NUL characters in input on %p',
  databaseId => {
    async function start() {
      const { db, store } = await createTestStore(databases, databaseId);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          mockServices.database.factory({ knex: db.knex }),
        ],
      });
      return { server, store };
    }

    it('answers 400 naming where, for the URL, a JSON body and a YAML document, writing nothing', async () => {
      const { server, store } = await start();
      const answers = [
        await request(server).get('/api/agents/runs?namespace=a%00b'),
        await request(server).get('/api/agents/runs/a%00b'),
        await request(server).get(`${STACKS}/a%00b`),
        await request(server)
          .post(STACKS)
          .send({
            metadata: { name: 'nul' },
            spec: { runtime: 'scripted', systemPrompt: 'hello\u0000' },
          }),
        await request(server)
          .post('/api/agents/runs')
          .send({ stack: 'acme/nul', prompt: 'fix\u0000it' }),
      ];
      expect(
        answers.map(({ status, body }) => [status, body.error.message]),
      ).toEqual([
        [400, 'url: must not contain NUL characters (%00)'],
        [400, 'url: must not contain NUL characters (%00)'],
        [400, 'url: must not contain NUL characters (%00)'],
        [400, 'body.spec.systemPrompt: must not contain NUL characters'],
        [400, 'body.prompt: must not contain NUL characters'],
      ]);

      // YAML spells NUL as an escape, so it only appears once the document is parsed.
      const applied = await request(server)
        .post('/api/agents/apply')
        .set('content-type', 'application/yaml')
        .send(
          [
            'apiVersion: agents.krate.dev/v1alpha1',
            'kind: AgentStack',
            'metadata: { name: nul, namespace: acme }',
            'spec: { runtime: scripted, systemPrompt: "hello\\0" }',
          ].join('\n'),
        );
      expect(applied.status).toBe(400);
      expect(JSON.stringify(applied.body)).toContain(
        'spec.systemPrompt: must not contain NUL characters',
      );

      expect(await store.get('AgentStack', 'acme', 'nul')).toBeUndefined();
      expect(
        (await store.list('AgentDispatchRun', { limit: 5 })).items,
      ).toEqual([]);
    });
  },
);
