import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleAgentMuxRuntime } from '../runtimes/agentMux';
import { AgentMuxTestGateway } from '../runtimes/agentMux/testGateway';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const CHUNKS = 120;

describe.each(databases.eachSupportedId())(
  'an Agent Mux run across a backend restart on %p',
  databaseId => {
    let dataDir: string;
    let gateway: AgentMuxTestGateway;

    beforeEach(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-reattach-'));
      // The gateway's agent keeps working while the backend is down: one text event every 15 ms.
      gateway = await AgentMuxTestGateway.start({
        harness: async run => {
          run.startSession();
          for (let i = 0; i < CHUNKS; i++) {
            run.emit({ type: 'message_stop', text: `chunk ${i}` });
            await run.sleep(15);
          }
          run.cost({ totalUsd: 0.002, inputTokens: 20, outputTokens: 10 });
        },
      });
    });
    afterEach(async () => {
      await gateway.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function backend(knex: any) {
      const started = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleAgentMuxRuntime,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: {
                dispatch: {
                  runsRoot: path.join(dataDir, 'runs'),
                  pollIntervalMs: 50,
                  leaseDurationSeconds: 1,
                },
                workspaces: { root: path.join(dataDir, 'workspaces') },
                runtimes: {
                  agentMux: {
                    url: gateway.url,
                    token: gateway.token,
                    agent: 'claude-code',
                  },
                },
              },
            },
          }),
        ],
      });
      return started;
    }

    async function runOf(server: any, name: string) {
      return (await request(server).get(`/api/agents/runs/${name}`)).body;
    }

    it('re-attaches from the last stored runtime seq: every event once, in order, nothing lost', async () => {
      const { db } = await createTestStore(databases, databaseId);
      const first = await backend(db.knex);
      const applied = await request(first.server)
        .post('/api/agents/apply')
        .send({
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentStack',
          metadata: { name: 'mux', namespace: 'acme' },
          spec: { runtime: 'agent-mux', approvalMode: 'never' },
        });
      expect(applied.status).toBe(200);
      const dispatched = await request(first.server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'mux', prompt: 'count slowly' });
      expect(dispatched.status).toBe(201);
      const name = dispatched.body.metadata.name;

      // Stop the backend once some text has been stored, while the gateway run goes on.
      for (;;) {
        const log = await request(first.server).get(
          `/api/agents/runs/${name}/events`,
        );
        if (log.body.items.filter((e: any) => e.type === 'text').length >= 10)
          break;
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await first.stop();

      const second = await backend(db.knex);
      let run = await runOf(second.server, name);
      for (let i = 0; i < 200 && run.status?.phase !== 'Succeeded'; i++) {
        await new Promise(resolve => setTimeout(resolve, 50));
        run = await runOf(second.server, name);
      }
      expect(run.status).toMatchObject({
        phase: 'Succeeded',
        runtime: 'agent-mux',
        cost: { usd: 0.002, inputTokens: 20, outputTokens: 10 },
      });

      const log = (
        await request(second.server).get(
          `/api/agents/runs/${name}/events?limit=10000`,
        )
      ).body;
      expect(log.items.map((e: any) => e.seq)).toEqual(
        log.items.map((_: unknown, i: number) => i + 1),
      );
      expect(
        log.items.filter((e: any) => e.type === 'text').map((e: any) => e.text),
      ).toEqual(Array.from({ length: CHUNKS }, (_, i) => `chunk ${i}`));
      expect(log.items).toContainEqual(
        expect.objectContaining({ type: 'warning', code: 'Reattached' }),
      );
      expect(log.items.filter((e: any) => e.type === 'events_lost')).toEqual(
        [],
      );
      await second.stop();
    });
  },
);
