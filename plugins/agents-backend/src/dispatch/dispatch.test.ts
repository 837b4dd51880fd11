import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { commit, git } from '../__testUtils__/gitFixtures';
import {
  applyObjects,
  isFinished,
  waitForRun,
} from '../__testUtils__/dispatchTestKit';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const bob = mockCredentials.user('user:default/bob');
const requester = 'user:default/mock';

const toolProfile = (name: string, approvalRequired: string[] = []) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentToolProfile',
  metadata: { name, namespace: 'acme' },
  spec: {
    shell: { denyCommands: ['*rm -rf*'] },
    approvalRequired,
  },
});

const stack = (
  name: string,
  steps: object[],
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name, namespace: 'acme' },
  spec: {
    runtime: 'scripted',
    systemPrompt: 'You are careful. Never print token=abcdef123456.',
    script: { steps, continueSteps: [{ say: 'continued' }] },
    ...extra,
  },
});

describe.each(databases.eachSupportedId())('dispatch on %p', databaseId => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-dispatch-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function backend(
    id: TestDatabaseId,
    knex?: Awaited<ReturnType<typeof createTestStore>>['db']['knex'],
    leaseDurationSeconds = 1,
  ) {
    const db = knex ?? (await createTestStore(databases, id)).db.knex;
    const started = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        mockServices.database.factory({ knex: db }),
        mockServices.rootConfig.factory({
          data: {
            agents: {
              dispatch: {
                runsRoot: path.join(dataDir, 'runs'),
                pollIntervalMs: 50,
                leaseDurationSeconds,
              },
              workspaces: {
                root: path.join(dataDir, 'workspaces'),
                repositoryRoots: [path.join(dataDir, 'repositories')],
              },
            },
          },
        }),
      ],
    });
    return { server: started.server, stop: () => started.stop(), knex: db };
  }

  const apply = applyObjects;
  const finished = isFinished;

  async function events(server: any, run: string, sinceSeq = 0) {
    const response = await request(server).get(
      `/api/agents/runs/${run}/events?sinceSeq=${sinceSeq}`,
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  it('runs a scripted stack from POST to Succeeded, with a gap-free event log, context bundle and session', async () => {
    const { server } = await backend(databaseId);
    await apply(
      server,
      toolProfile('open'),
      stack(
        'builder',
        [
          { say: 'Looking at the repository' },
          { writeFile: { path: 'notes.txt', content: 'hello' } },
          { shell: 'cat notes.txt' },
          { producePatch: { name: 'notes.patch' } },
        ],
        { toolProfile: 'open' },
      ),
    );

    // The composer's preview: what the bundle will hold, redacted, and nothing written.
    const body = {
      namespace: 'acme',
      stack: 'builder',
      prompt: 'Write notes. My key is AKIAABCDEFGHIJKLMNOP.',
    };
    const preview = await request(server)
      .post('/api/agents/runs/preview')
      .send(body);
    expect(preview.status).toBe(200);
    expect(preview.body.parts.map((p: any) => p.kind)).toEqual([
      'system-prompt',
      'prompt',
    ]);
    expect(preview.body.parts[1].redactions).toBe(1);
    expect(JSON.stringify(preview.body)).not.toMatch(
      /AKIAABCDEFGHIJKLMNOP|abcdef123456/,
    );
    expect(
      (await request(server).get('/api/agents/runs?namespace=acme')).body.items,
    ).toEqual([]);
    const badPreview = await request(server)
      .post('/api/agents/runs/preview')
      .send({ ...body, stack: 'nope' });
    expect(badPreview.status).toBe(400);
    expect(badPreview.body.error.message).toMatch(/^stack: /);

    const created = await request(server).post('/api/agents/runs').send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'AgentDispatchRun',
      spec: {
        stack: 'builder',
        requestedBy: requester,
        source: { kind: 'manual' },
      },
      status: {
        phase: 'Queued',
        profileDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      },
    });
    const name = created.body.metadata.name;

    const run = await waitForRun(server, name, finished);
    expect(run.status).toMatchObject({
      phase: 'Succeeded',
      reason: 'Completed',
      currentAttempt: `${name}-1`,
      session: expect.any(String),
      cost: expect.objectContaining({ usd: 0 }),
    });

    const log = await events(server, name);
    expect(log.items.map((e: any) => e.seq)).toEqual(
      log.items.map((_: any, i: number) => i + 1),
    );
    expect(log.lastSeq).toBe(log.items.length);
    const types = log.items.map((e: any) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'session_started',
        'text',
        'file_change',
        'shell_start',
        'shell_output',
        'shell_exit',
      ]),
    );
    expect(log.items.at(-1)).toMatchObject({
      type: 'attempt_phase',
      phase: 'Succeeded',
    });
    expect(JSON.stringify(log)).not.toContain('AKIAABCDEFGHIJKLMNOP');

    const page = await events(server, name, 2);
    expect(page.items[0].seq).toBe(3);

    const attempt = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentdispatchattempts/${name}-1`,
      )
    ).body;
    expect(attempt.spec).toMatchObject({
      kind: 'initial',
      runtime: 'scripted',
      launchProfile: expect.objectContaining({ stack: 'builder' }),
    });
    expect(attempt.status).toMatchObject({
      phase: 'Succeeded',
      sessionId: run.status.session,
    });

    const bundle = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentcontextbundles/${name}-1-context`,
      )
    ).body;
    expect(bundle.spec.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bundle.spec.digest).toBe(preview.body.digest);
    expect(bundle.spec.parts.map((p: any) => p.kind)).toEqual([
      'system-prompt',
      'prompt',
    ]);
    expect(JSON.stringify(bundle)).not.toMatch(
      /AKIAABCDEFGHIJKLMNOP|abcdef123456/,
    );
    expect(bundle.spec.parts[1].redactions).toBe(1);

    expect(run.status.artifacts).toHaveLength(1);
    const artifact = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentreviewartifacts/${run.status.artifacts[0]}`,
      )
    ).body;
    expect(artifact.spec).toMatchObject({
      kind: 'patch',
      run: name,
      attempt: `${name}-1`,
      title: 'notes.patch',
      digest: expect.stringMatching(/^sha256:/),
    });
    const patchEvent = log.items.find((e: any) => e.type === 'artifact');
    expect(patchEvent.content).toContain('+hello');
    expect(artifact.spec.sizeBytes).toBe(Buffer.byteLength(patchEvent.content));

    const session = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentsessions/${name}-1-session`,
      )
    ).body;
    expect(session.status).toMatchObject({
      state: 'idle',
      sessionId: run.status.session,
    });
    // The sessions page filters by runtime with the label the record carries.
    const byRuntime = async (runtime: string) =>
      (
        await request(server).get(
          `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentsessions?labelSelector=agents.krate.dev/runtime=${runtime}`,
        )
      ).body.items.map((s: any) => s.metadata.name);
    expect(await byRuntime('scripted')).toEqual([`${name}-1-session`]);
    expect(await byRuntime('claude-code')).toEqual([]);
    expect(
      readFileSync(
        path.join(dataDir, 'runs', 'acme', name, 'notes.txt'),
        'utf8',
      ),
    ).toBe('hello');
  });

  it('gives a run on a cloned repository a git worktree of its own, and says when there is no clone', async () => {
    const clone = path.join(dataDir, 'repositories', 'acme', 'payments-api');
    mkdirSync(clone, { recursive: true });
    git(clone, 'init', '-q', '-b', 'main');
    commit(
      clone,
      'src/money.js',
      'exports.cents = x => Math.floor(x * 100);\n',
    );
    const { server } = await backend(databaseId);
    await apply(
      server,
      stack('fixer', [
        {
          patchFile: {
            path: 'src/money.js',
            find: 'Math.floor',
            replace: 'Math.round',
          },
        },
        { producePatch: { name: 'fix.patch' } },
      ]),
    );
    const { body } = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'fixer',
      prompt: 'Round, do not floor',
      repository: 'acme/payments-api',
      ref: 'main',
    });
    const name = body.metadata.name;
    expect(body.spec.workspace).toBe(name);
    const run = await waitForRun(server, name, finished);
    expect(run.status.phase).toBe('Succeeded');

    const workspace = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces/${name}`,
      )
    ).body;
    expect(workspace.spec).toMatchObject({
      repository: 'acme/payments-api',
      path: path.join(dataDir, 'workspaces', 'acme', name),
      branch: `agents/${name}`,
    });
    expect(
      readFileSync(path.join(workspace.spec.path, 'src/money.js'), 'utf8'),
    ).toContain('Math.round');
    expect(readFileSync(path.join(clone, 'src/money.js'), 'utf8')).toContain(
      'Math.floor',
    );
    const patch = (await events(server, name)).items.find(
      (e: any) => e.type === 'artifact',
    );
    expect(patch.content).toContain(
      '+exports.cents = x => Math.round(x * 100);',
    );

    const { body: elsewhere } = await request(server)
      .post('/api/agents/runs')
      .send({
        namespace: 'acme',
        stack: 'fixer',
        prompt: 'x',
        repository: 'acme/not-cloned',
      });
    expect(elsewhere.spec.workspace).toBeUndefined();
    await waitForRun(server, elsewhere.metadata.name, finished);
    expect(
      (await events(server, elsewhere.metadata.name)).items,
    ).toContainEqual(
      expect.objectContaining({ type: 'warning', code: 'RepositoryNotCloned' }),
    );
  });

  it('answers bad dispatches with 4xx naming the field and creates nothing', async () => {
    const { server } = await backend(databaseId);
    await apply(
      server,
      stack('ok', [{ say: 'hi' }]),
      stack('broken', [{ say: 'a', shell: 'b' }]),
    );
    const cases: [object, number, string][] = [
      [{ namespace: 'acme', stack: 'ok' }, 400, 'prompt:'],
      [
        { namespace: 'acme', stack: 'missing', prompt: 'x' },
        400,
        'stack: AgentStack acme/missing does not exist',
      ],
      [
        {
          namespace: 'acme',
          stack: 'ok',
          prompt: 'x',
          contextLabels: ['nope'],
        },
        400,
        'contextLabels[0]:',
      ],
      [
        { namespace: 'acme', stack: 'ok', prompt: 'x', workspace: 'nope' },
        400,
        'workspace:',
      ],
      [{ namespace: 'acme', stack: 'ok', prompt: 'x', ref: '-x' }, 400, 'ref:'],
      [
        { namespace: 'acme', stack: 'broken', prompt: 'x' },
        409,
        'stack: AgentStack acme/broken is Invalid',
      ],
    ];
    for (const [body, status, message] of cases) {
      const response = await request(server)
        .post('/api/agents/runs')
        .send(body);
      expect({
        status: response.status,
        message: response.body.error?.message,
      }).toEqual({
        status,
        message: expect.stringContaining(message),
      });
    }
    const runs = await request(server).get('/api/agents/runs?namespace=acme');
    expect(runs.body.items).toEqual([]);
    const denied = await request(server)
      .post('/api/agents/runs/nope/cancel')
      .send({});
    expect(denied.status).toBe(404);

    const { body: run } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'ok', prompt: 'x' });
    const name = run.metadata.name;
    const badInputs: [string, string, object | undefined, string][] = [
      [
        'get',
        `/api/agents/runs/${name}/events?sinceSeq=-1`,
        undefined,
        'sinceSeq:',
      ],
      ['get', `/api/agents/runs/${name}/events?limit=0`, undefined, 'limit:'],
      ['post', `/api/agents/runs/${name}/continue`, { prompt: 42 }, 'prompt:'],
      [
        'post',
        `/api/agents/runs/${name}/retry`,
        { prompt: 'x' },
        'prompt: only continue',
      ],
      [
        'post',
        `/api/agents/runs/${name}/cancel`,
        { force: true },
        'force: unknown field',
      ],
    ];
    for (const [method, url, body, message] of badInputs) {
      const response = await (request(server) as any)[method](url).send(body);
      expect({
        url,
        status: response.status,
        message: response.body.error?.message,
      }).toEqual({
        url,
        status: 400,
        message: expect.stringMatching(new RegExp(`^${message}`)),
      });
    }
  });

  it('holds a gated shell command until another user approves; refuses self-approval', async () => {
    const { server } = await backend(databaseId);
    await apply(
      server,
      toolProfile('gated', ['shell']),
      stack('gated', [{ shell: 'echo approved > gate.txt' }], {
        toolProfile: 'gated',
      }),
    );
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'gated', prompt: 'gate me' });
    const name = body.metadata.name;
    const waiting = await waitForRun(
      server,
      name,
      r => r.status?.phase === 'Waiting',
    );
    expect(waiting.status.reason).toBe('ApprovalBlocked');
    const gate = path.join(dataDir, 'runs', 'acme', name, 'gate.txt');
    expect(existsSync(gate)).toBe(false);

    const approvals = await request(server).get(
      '/api/agents/approvals?namespace=acme',
    );
    expect(approvals.body.items).toHaveLength(1);
    const approval = approvals.body.items[0];
    expect(approval.spec).toMatchObject({
      actionClass: 'shell',
      target: 'echo approved > gate.txt',
      requester,
      run: name,
      policySource: 'AgentToolProfile/gated',
    });

    const self = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .send({ decision: 'approve' });
    expect(self.status).toBe(403);
    const bad = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^decision:/);

    const approved = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'approve', reason: 'fine' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toMatchObject({
      state: 'approved',
      decidedBy: bob.principal.userEntityRef,
    });

    const run = await waitForRun(server, name, finished);
    expect(run.status.phase).toBe('Succeeded');
    expect(readFileSync(gate, 'utf8')).toBe('approved\n');
    const types = (await events(server, name)).items.map((e: any) => e.type);
    expect(types.indexOf('approval_requested')).toBeLessThan(
      types.indexOf('approval_decided'),
    );
    expect(types.indexOf('approval_decided')).toBeLessThan(
      types.indexOf('shell_start'),
    );

    const again = await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'reject' });
    expect(again.status).toBe(409);
  });

  it('fails the run when a human rejects, then retries, resumes and continues with linked attempts', async () => {
    const { server } = await backend(databaseId);
    await apply(
      server,
      toolProfile('gated', ['shell']),
      stack('gated', [{ say: 'start' }, { shell: 'echo hi' }], {
        toolProfile: 'gated',
      }),
    );
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'gated', prompt: 'try' });
    const name = body.metadata.name;
    await waitForRun(server, name, r => r.status?.phase === 'Waiting');
    const [approval] = (
      await request(server).get('/api/agents/approvals?namespace=acme')
    ).body.items;
    await request(server)
      .post(`/api/agents/approvals/${approval.metadata.name}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'reject', reason: 'not now' });
    const failed = await waitForRun(server, name, finished);
    expect(failed.status).toMatchObject({
      phase: 'Failed',
      reason: 'ApprovalRejected',
    });

    const continued = await request(server)
      .post(`/api/agents/runs/${name}/continue`)
      .send({ prompt: 'Now summarize' });
    expect(continued.status).toBe(202);
    expect(continued.body.status).toMatchObject({
      phase: 'Queued',
      currentAttempt: `${name}-2`,
    });
    const afterContinue = await waitForRun(server, name, finished);
    expect(afterContinue.status.phase).toBe('Succeeded');
    const second = (
      await request(server).get(
        `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentdispatchattempts/${name}-2`,
      )
    ).body;
    expect(second.spec).toMatchObject({
      kind: 'continue',
      previousAttempt: `${name}-1`,
      prompt: 'Now summarize',
    });
    expect(second.status.sessionId).toBe(failed.status.session);

    const resume = await request(server)
      .post(`/api/agents/runs/${name}/resume`)
      .send({});
    expect(resume.status).toBe(409);
    expect(resume.body.error.message).toMatch(
      /succeeded; there is nothing to resume/,
    );

    const retry = await request(server)
      .post(`/api/agents/runs/${name}/retry`)
      .send({});
    expect(retry.status).toBe(202);
    await waitForRun(server, name, r => r.status?.phase === 'Waiting');
    const log = await events(server, name);
    expect(log.items.map((e: any) => e.seq)).toEqual(
      log.items.map((_: any, i: number) => i + 1),
    );
    expect(new Set(log.items.map((e: any) => e.attempt))).toEqual(
      new Set([`${name}-1`, `${name}-2`, `${name}-3`]),
    );
    const busy = await request(server)
      .post(`/api/agents/runs/${name}/retry`)
      .send({});
    expect(busy.status).toBe(409);
    const cancelled = await request(server)
      .post(`/api/agents/runs/${name}/cancel`)
      .send({});
    expect(cancelled.status).toBe(200);
    expect((await waitForRun(server, name, finished)).status.phase).toBe(
      'Cancelled',
    );
    const left = (
      await request(server).get(
        `/api/agents/approvals?namespace=acme&labelSelector=agents.krate.dev/attempt=${name}-3`,
      )
    ).body.items;
    expect(left.map((a: any) => a.status)).toEqual([
      expect.objectContaining({
        state: 'expired',
        reason: 'The attempt ended before a decision',
      }),
    ]);
  });

  it('cancels a running attempt and refuses a second cancel', async () => {
    const { server } = await backend(databaseId);
    await apply(server, stack('sleeper', [{ say: 'zz' }, { sleepMs: 30_000 }]));
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'sleeper', prompt: 'sleep' });
    const name = body.metadata.name;
    await waitForRun(server, name, r => r.status?.phase === 'Running');
    const cancelled = await request(server)
      .post(`/api/agents/runs/${name}/cancel`)
      .send({});
    expect(cancelled.status).toBe(200);
    const run = await waitForRun(server, name, finished, 5_000);
    expect(run.status).toMatchObject({
      phase: 'Cancelled',
      reason: 'Cancelled',
    });
    const twice = await request(server)
      .post(`/api/agents/runs/${name}/cancel`)
      .send({});
    expect(twice.status).toBe(409);
  });

  it('streams events over SSE from a seq and ends when the run has', async () => {
    const { server } = await backend(databaseId);
    await apply(
      server,
      stack('talker', [
        { emit: { count: 300, text: 'tick' } },
        { say: 'done' },
      ]),
    );
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: 'talker', prompt: 'talk' });
    const response = await request(server)
      .get(`/api/agents/runs/${body.metadata.name}/events?sinceSeq=5`)
      .set('accept', 'text/event-stream')
      .buffer(true)
      .parse((res, callback) => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () => callback(null, text));
      });
    const text = response.body as string;
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map(m => Number(m[1]));
    expect(ids[0]).toBe(6);
    expect(ids).toEqual(ids.map((_, i) => i + 6));
    expect(text).toMatch(
      /event: end\ndata: \{"lastSeq":\d+,"phase":"Succeeded"\}/,
    );
  });

  async function startRun(server: any, stackName: string) {
    const { body } = await request(server)
      .post('/api/agents/runs')
      .send({ namespace: 'acme', stack: stackName, prompt: 'go' });
    return body.metadata.name as string;
  }

  function effects(run: string) {
    const file = path.join(dataDir, 'runs', 'acme', run, 'effects.txt');
    return existsSync(file)
      ? readFileSync(file, 'utf8').trim().split('\n')
      : [];
  }

  async function expectContiguousLog(server: any, run: string, before: any) {
    const after = await events(server, run);
    expect(after.items.slice(0, before.items.length)).toEqual(before.items);
    expect(after.items.map((e: any) => e.seq)).toEqual(
      after.items.map((_: any, i: number) => i + 1),
    );
    return after;
  }

  it('resumes a scripted attempt after the step its stopped instance finished last, running no step twice', async () => {
    const { knex } = await createTestStore(databases, databaseId).then(s => ({
      knex: s.db.knex,
    }));
    const first = await backend(databaseId, knex);
    await apply(
      first.server,
      stack('long', [
        { say: 'one' },
        { shell: 'echo step-1 >> effects.txt' },
        { sleepMs: 3_000 },
        { shell: 'echo step-3 >> effects.txt' },
        { say: 'done' },
      ]),
    );
    const name = await startRun(first.server, 'long');
    await waitForRun(first.server, name, () => effects(name).length === 1);
    // The sleep has started once the shell step's end is in the log.
    for (;;) {
      const log = await events(first.server, name);
      if (log.items.some((e: any) => e.type === 'shell_exit')) break;
      await new Promise(r => setTimeout(r, 20));
    }
    const before = await events(first.server, name);
    await first.stop();

    // The sleep, which has no effect outside the log, is played again.
    const second = await backend(databaseId, knex);
    const run = await waitForRun(second.server, name, finished);
    expect(run.status).toMatchObject({ phase: 'Succeeded' });
    expect(effects(name)).toEqual(['step-1', 'step-3']);
    const after = await expectContiguousLog(second.server, name, before);
    expect(
      after.items.filter((e: any) => e.type === 'session_started'),
    ).toHaveLength(1);
    expect(after.items.find((e: any) => e.code === 'Reattached')).toBeDefined();
    expect(
      after.items.filter((e: any) => e.type === 'text').map((e: any) => e.text),
    ).toEqual(['one', 'done']);
    await second.stop();
  });

  it('fails a step that was interrupted after its side effect started, without running it again', async () => {
    const { knex } = await createTestStore(databases, databaseId).then(s => ({
      knex: s.db.knex,
    }));
    const first = await backend(databaseId, knex);
    await apply(
      first.server,
      stack('slow-shell', [
        { shell: 'echo started >> effects.txt; sleep 30' },
        { say: 'never' },
      ]),
    );
    const name = await startRun(first.server, 'slow-shell');
    await waitForRun(first.server, name, () => effects(name).length === 1);
    const before = await events(first.server, name);
    await first.stop();

    const second = await backend(databaseId, knex);
    const run = await waitForRun(second.server, name, finished);
    expect(run.status).toMatchObject({
      phase: 'Failed',
      reason: 'StepInterrupted',
    });
    expect(run.status.message).toMatch(/spec\.script\.steps\[0\]/);
    expect(effects(name)).toEqual(['started']);
    await expectContiguousLog(second.server, name, before);
    await second.stop();
  });

  it('waits on the same approval after a takeover, and runs the approved step once', async () => {
    const { knex } = await createTestStore(databases, databaseId).then(s => ({
      knex: s.db.knex,
    }));
    const first = await backend(databaseId, knex);
    await apply(
      first.server,
      toolProfile('gated', ['shell']),
      stack(
        'gated',
        [{ say: 'asking' }, { shell: 'echo gated >> effects.txt' }],
        { toolProfile: 'gated' },
      ),
    );
    const name = await startRun(first.server, 'gated');
    await waitForRun(first.server, name, r => r.status?.phase === 'Waiting');
    await first.stop();

    const second = await backend(databaseId, knex);
    for (;;) {
      const log = await events(second.server, name);
      if (log.items.some((e: any) => e.code === 'Reattached')) break;
      await new Promise(r => setTimeout(r, 20));
    }
    await waitForRun(second.server, name, r => r.status?.phase === 'Waiting');
    const listed = await request(second.server).get(
      '/api/agents/approvals?namespace=acme',
    );
    expect(listed.body.items).toHaveLength(1);
    const approved = await request(second.server)
      .post(
        `/api/agents/approvals/${listed.body.items[0].metadata.name}/decision`,
      )
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'approve' });
    expect(approved.status).toBe(200);
    const run = await waitForRun(second.server, name, finished);
    expect(run.status.phase).toBe('Succeeded');
    expect(effects(name)).toEqual(['gated']);
    const again = await request(second.server).get(
      '/api/agents/approvals?namespace=acme',
    );
    expect(again.body.items).toHaveLength(1);
    await second.stop();
  });

  it('takes the decision made while no instance drove the attempt instead of asking again', async () => {
    const { knex } = await createTestStore(databases, databaseId).then(s => ({
      knex: s.db.knex,
    }));
    const first = await backend(databaseId, knex);
    await apply(
      first.server,
      toolProfile('gated', ['shell']),
      stack('gated', [{ shell: 'echo gated >> effects.txt' }], {
        toolProfile: 'gated',
      }),
    );
    const name = await startRun(first.server, 'gated');
    await waitForRun(first.server, name, r => r.status?.phase === 'Waiting');
    const listed = await request(first.server).get(
      '/api/agents/approvals?namespace=acme',
    );
    const approval = listed.body.items[0].metadata.name;
    // The instance dies (its lease lapses without a shutdown) and the approver decides before
    // another instance takes the attempt over.
    await knex('agents_attempt_leases').update({ owner: 'gone' });
    await first.stop();
    await knex('agents_attempt_leases').update({
      expires_at: Date.now() + 60_000,
    });
    const second = await backend(databaseId, knex);
    const approved = await request(second.server)
      .post(`/api/agents/approvals/${approval}/decision`)
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ decision: 'approve' });
    expect(approved.status).toBe(200);
    await knex('agents_attempt_leases').update({ expires_at: 0 });

    const run = await waitForRun(second.server, name, finished);
    expect(run.status.phase).toBe('Succeeded');
    expect(effects(name)).toEqual(['gated']);
    const again = await request(second.server).get(
      '/api/agents/approvals?namespace=acme',
    );
    expect(again.body.items).toHaveLength(1);
    await second.stop();
  });

  it('never runs an attempt twice when two instances share the database', async () => {
    const { knex } = await createTestStore(databases, databaseId).then(s => ({
      knex: s.db.knex,
    }));
    // Leases long enough that a loaded machine's stalls do not lapse them: the instances race
    // to claim, they do not take over from each other.
    const one = await backend(databaseId, knex, 10);
    const two = await backend(databaseId, knex, 10);
    await apply(
      one.server,
      stack('quick', [{ say: 'hi' }, { shell: 'echo $$ >> ran.txt' }]),
    );
    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      const server = i % 2 ? one.server : two.server;
      const { body } = await request(server)
        .post('/api/agents/runs')
        .send({ namespace: 'acme', stack: 'quick', prompt: `run ${i}` });
      names.push(body.metadata.name);
    }
    for (const name of names) {
      const run = await waitForRun(one.server, name, finished);
      expect(run.status.phase).toBe('Succeeded');
      const log = await events(two.server, name);
      expect(
        log.items.filter((e: any) => e.type === 'session_started'),
      ).toHaveLength(1);
      const ran = readFileSync(
        path.join(dataDir, 'runs', 'acme', name, 'ran.txt'),
        'utf8',
      );
      expect(ran.trim().split('\n')).toHaveLength(1);
    }
    await one.stop();
    await two.stop();
  });
});
