import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import {
  applyObjects,
  gatedShellProfile,
  isFinished,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';

const object = (kind: string, name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const openTools = object('AgentToolProfile', 'open', { approvalRequired: [] });

const scripted = (
  name: string,
  toolProfile = 'open',
  steps: object[] = [{ say: 'first look' }],
  continueSteps: object[] = [{ say: 'picked up where the session left off' }],
) =>
  object('AgentStack', name, {
    runtime: 'scripted',
    toolProfile,
    script: { steps, continueSteps },
  });

describe.each(databases.eachSupportedId())(
  'a session continued by a new run on %p',
  databaseId => {
    let dataDir: string;
    const backends: { stop(): Promise<void> }[] = [];

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-session-runs-'));
    });
    afterEach(async () => {
      await Promise.all(backends.splice(0).map(started => started.stop()));
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function backend() {
      const { db, store } = await createTestStore(databases, databaseId);
      const started = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              agents: {
                dispatch: {
                  runsRoot: path.join(dataDir, 'runs'),
                  pollIntervalMs: 50,
                },
              },
            },
          }),
        ],
      });
      backends.push(started);
      await applyObjects(
        started.server,
        openTools,
        gatedShellProfile,
        scripted('builder'),
        scripted('waiter', 'gated', [{ shell: 'echo wait' }]),
        // Begins freely; going on in its session waits for a human.
        scripted(
          'resumer',
          'gated',
          [{ say: 'first look' }],
          [{ shell: 'echo wait' }],
        ),
      );
      return { server: started.server, store };
    }

    const dispatch = (server: any, body: object) =>
      request(server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'builder', ...body });

    const attemptOf = async (server: any, name: string) =>
      (await request(server).get(`${API}/agentdispatchattempts/${name}`)).body;

    const sessionRecord = async (server: any, name: string) =>
      (await request(server).get(`${API}/agentsessions/${name}`)).body;

    it("starts the new run's first attempt as a continue of the session, and both runs' records carry it", async () => {
      const { server } = await backend();
      const first = await dispatch(server, { prompt: 'Look into it' });
      expect(first.status).toBe(201);
      const done = await waitForRun(
        server,
        first.body.metadata.name,
        isFinished,
      );
      expect(done.status.phase).toBe('Succeeded');
      const record = `${first.body.metadata.name}-1-session`;
      const sessionId = (await sessionRecord(server, record)).status.sessionId;
      expect(sessionId).toEqual(expect.any(String));

      const second = await dispatch(server, {
        prompt: 'Now fix what you found',
        session: record,
      });
      expect(second.status).toBe(201);
      expect(second.body.spec.continuesSession).toBe(record);
      expect(
        second.body.metadata.labels['agents.krate.dev/runtime-session'],
      ).toBe(sessionId);
      const name = second.body.metadata.name;
      const continued = await waitForRun(server, name, isFinished);
      expect(continued.status).toMatchObject({
        phase: 'Succeeded',
        session: sessionId,
      });
      expect((await attemptOf(server, `${name}-1`)).spec).toMatchObject({
        kind: 'continue',
        sessionId,
        prompt: 'Now fix what you found',
      });
      expect(
        (await sessionRecord(server, `${name}-1-session`)).status,
      ).toMatchObject({
        sessionId,
      });
      const events = (
        await request(server).get(`/api/agents/runs/${name}/events?sinceSeq=0`)
      ).body.items;
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'session_started',
          sessionId,
          resumed: true,
        }),
      );
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'text',
          text: 'picked up where the session left off',
        }),
      );
    });

    it('refuses a session that does not exist, one whose run still works in it, and one of another runtime', async () => {
      const { server, store } = await backend();
      const missing = await dispatch(server, {
        prompt: 'Go on',
        session: 'no-such-session',
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toMatch(
        /^session: AgentSession acme\/no-such-session does not exist/,
      );

      // Held at an approval, this run still works in its session.
      const busy = await dispatch(server, { stack: 'waiter', prompt: 'Wait' });
      const waiting = await waitForRun(
        server,
        busy.body.metadata.name,
        run => run.status?.phase === 'Waiting',
      );
      const inUse = await dispatch(server, {
        stack: 'waiter',
        prompt: 'Also',
        session: `${waiting.metadata.name}-1-session`,
      });
      expect(inUse.status).toBe(409);
      expect(inUse.body.error.message).toMatch(
        new RegExp(
          `^session: .* is in use by run ${waiting.metadata.name}, which is Waiting`,
        ),
      );

      // A session of another runtime cannot go on on this stack's runtime.
      await store.create(
        {
          ...object('AgentSession', 'foreign', { runtime: 'claude-code' }),
          status: { state: 'idle', sessionId: 'claude-1' },
        },
        { actor: 'test' },
      );
      const foreign = await dispatch(server, {
        prompt: 'Go on',
        session: 'foreign',
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.message).toMatch(
        /^session: AgentSession acme\/foreign is a claude-code session; stack builder runs on scripted/,
      );

      const runs = (
        await request(server).get('/api/agents/runs?namespace=acme')
      ).body.items;
      expect(runs.map((run: any) => run.metadata.name)).toEqual([
        waiting.metadata.name,
      ]);
    });

    it('refuses a session while a run that went on in it still works', async () => {
      const { server } = await backend();
      const first = await dispatch(server, {
        stack: 'resumer',
        prompt: 'Look into it',
      });
      await waitForRun(server, first.body.metadata.name, isFinished);
      const record = `${first.body.metadata.name}-1-session`;
      const second = await dispatch(server, {
        stack: 'resumer',
        prompt: 'Go on',
        session: record,
      });
      expect(second.status).toBe(201);
      await waitForRun(
        server,
        second.body.metadata.name,
        run => run.status?.phase === 'Waiting',
      );

      const third = await dispatch(server, {
        stack: 'resumer',
        prompt: 'Go on too',
        session: record,
      });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toMatch(
        new RegExp(
          `^session: .* is in use by run ${second.body.metadata.name}, which is Waiting`,
        ),
      );
    });
  },
);
