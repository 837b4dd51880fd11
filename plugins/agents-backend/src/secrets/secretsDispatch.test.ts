import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  applyObjects,
  dispatchConfig,
  isFinished,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
/** Shaped like no credential, so only the attempt's own secrets can mask it. */
const CANARY = 'granted-canary-Zq81';

const agentsObject = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const objects = [
  agentsObject('AgentServiceAccount', 'bot', {
    purpose: 'agent',
    serviceAccountName: 'bot',
  }),
  agentsObject('AgentSkill', 'runbook', {
    source: { repository: 'acme/payments-api', path: 'skills/runbook' },
    requiredSecrets: [{ name: 'db', key: 'password' }],
  }),
  agentsObject('AgentSecretGrant', 'db-password', {
    secretName: 'db',
    keys: ['password'],
    subjects: [{ kind: 'agent', name: 'bot' }],
    purpose: 'The runbook migrates the sandbox database',
  }),
  agentsObject('AgentStack', 'migrator', {
    runtime: 'scripted',
    runtimeServiceAccountName: 'bot',
    skills: ['runbook'],
    script: {
      steps: [{ say: `Connecting with ${CANARY} now` }],
    },
  }),
];

describe.each(databases.eachSupportedId())(
  'granted secrets in dispatch on %p',
  databaseId => {
    let dataDir: string;
    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-secrets-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    async function backend(id: TestDatabaseId, secrets: object) {
      const { db } = await createTestStore(databases, id);
      const { server } = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: { ...dispatchConfig(dataDir), secrets },
            },
          }),
        ],
      });
      return server;
    }

    it('masks a granted value that shows up in the attempt’s output', async () => {
      const server = await backend(databaseId, {
        acme: { secrets: { db: { password: CANARY } } },
      });
      await applyObjects(server, ...objects);
      const created = await request(server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'migrator', prompt: 'Migrate' });
      expect(created.status).toBe(201);
      const run = await waitForRun(
        server,
        created.body.metadata.name,
        isFinished,
      );
      expect(run.status.phase).toBe('Succeeded');

      const events = await request(server).get(
        `/api/agents/runs/${created.body.metadata.name}/events`,
      );
      expect(events.status).toBe(200);
      const stored = JSON.stringify(events.body);
      expect(stored).toContain('Connecting with [REDACTED] now');
      expect(stored).not.toContain(CANARY);
    });

    it('refuses to dispatch a stack whose granted key no source holds', async () => {
      const server = await backend(databaseId, {
        acme: { secrets: { db: { other: 'x' } } },
      });
      await applyObjects(server, ...objects);
      const refused = await request(server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'migrator', prompt: 'Migrate' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toContain('MissingSecret');
      expect(refused.body.error.message).toContain(
        'Secret db key password (AgentSkill/runbook spec.requiredSecrets[0]), granted by AgentSecretGrant/db-password',
      );
    });
  },
);
