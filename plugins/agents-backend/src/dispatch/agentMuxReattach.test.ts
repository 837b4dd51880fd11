import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleAgentMuxRuntime } from '../runtimes/agentMux';
import { AgentMuxTestGateway } from '../__testUtils__/agentMux';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  dispatchConfig,
  gatedShellProfile,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
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
            if (i === 2) {
              // Stored before the restart: the totals after it must count on from here.
              run.cost({ totalUsd: 0.001, inputTokens: 10, outputTokens: 5 });
            }
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
              agents: dispatchConfig(dataDir, {
                runtimes: {
                  agentMux: {
                    url: gateway.url,
                    token: gateway.token,
                    agent: 'claude',
                  },
                },
              }),
            },
          }),
        ],
      });
      return started;
    }

    async function eventsOf(server: any, name: string) {
      return (
        await request(server).get(`/api/agents/runs/${name}/events?limit=10000`)
      ).body.items as any[];
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
      const run = await waitForRun(
        second.server,
        name,
        r => r.status?.phase === 'Succeeded',
      );
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

    it('keeps waiting on a human gate opened before the restart, and continues the session once approved', async () => {
      gateway.useHarness(async run => {
        run.startSession();
        const retry = Boolean(run.options.sessionId);
        const { ran } = await run.toolCall({
          toolName: 'Bash',
          input: { command: 'make clean' },
          output: 'cleaned',
          nativeHook: true,
        });
        run.text(ran ? 'Cleaned.' : 'I was not allowed to clean.');
        run.cost(
          retry
            ? { totalUsd: 0.003, inputTokens: 30, outputTokens: 15 }
            : { totalUsd: 0.001, inputTokens: 10, outputTokens: 5 },
        );
      });
      const { db } = await createTestStore(databases, databaseId);
      const first = await backend(db.knex);
      const applied = await request(first.server)
        .post('/api/agents/apply')
        .send({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            gatedShellProfile,
            {
              apiVersion: 'agents.krate.dev/v1alpha1',
              kind: 'AgentStack',
              metadata: { name: 'mux', namespace: 'acme' },
              spec: { runtime: 'agent-mux', toolProfile: 'gated' },
            },
          ],
        });
      expect(applied.status).toBe(200);
      const dispatched = await request(first.server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'mux', prompt: 'clean up' });
      expect(dispatched.status).toBe(201);
      const name = dispatched.body.metadata.name;
      const waiting = await waitForRun(
        first.server,
        name,
        r => r.status?.phase === 'Waiting',
      );
      expect(waiting.status.reason).toBe('ApprovalBlocked');
      for (;;) {
        const events = await eventsOf(first.server, name);
        if (events.some(e => e.type === 'cost')) break;
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await first.stop();

      const second = await backend(db.knex);
      const approvals = await request(second.server).get(
        '/api/agents/approvals?namespace=acme',
      );
      expect(approvals.body.items).toHaveLength(1);
      const approval = approvals.body.items[0];
      expect(approval.status.state).toBe('pending');
      // The decision lands after the new instance re-attached and waits on the gate again.
      for (;;) {
        const events = await eventsOf(second.server, name);
        if (events.some(e => e.code === 'Reattached')) break;
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      const decided = await request(second.server)
        .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
        .set('authorization', mockCredentials.user.header('user:default/bob'))
        .send({ decision: 'approve', reason: 'safe' });
      expect(decided.status).toBe(200);

      const run = await waitForRun(
        second.server,
        name,
        r => r.status?.phase === 'Succeeded',
      );
      expect(run.status).toMatchObject({
        phase: 'Succeeded',
        cost: { usd: 0.004, inputTokens: 40, outputTokens: 20 },
      });
      const events = await eventsOf(second.server, name);
      expect(events.filter(e => e.type === 'text').map(e => e.text)).toEqual([
        'I was not allowed to clean.',
        'Cleaned.',
      ]);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'runtime_event',
          runtimeType: 'session_continued',
        }),
      );
      expect(gateway.runs).toHaveLength(2);
      await second.stop();
    });
  },
);
