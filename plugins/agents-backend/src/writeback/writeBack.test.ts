import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { commit, git } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { until } from '../__testUtils__/until';
import { isFinished, waitForRun } from '../__testUtils__/dispatchTestKit';

jest.setTimeout(90_000);

const databases = createTestDatabases();
const ALICE = mockCredentials.user.header('user:default/alice');
const BOB = mockCredentials.user.header('user:default/bob');

const object = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const fixer = (writeBackPolicy: object, extra: object = {}) =>
  object('AgentStack', 'fixer', {
    runtime: 'scripted',
    systemPrompt: 'You fix things.',
    allowSelfApproval: true,
    writeBackPolicy: { mode: 'pull-request', ...writeBackPolicy },
    script: {
      steps: [
        {
          writeFile: {
            path: 'src/money.js',
            content: 'exports.cents = x => Math.round(x * 100);\n',
          },
        },
        { producePatch: { name: 'Round cents' } },
      ],
    },
    ...extra,
  });

/** Polls `read` until `done` holds, or fails with the last value. */

describe.each(databases.eachSupportedId())('write-back on %p', databaseId => {
  let dataDir: string;
  let remote: string;

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-write-back-'));
    const seed = path.join(dataDir, 'seed');
    mkdirSync(seed, { recursive: true });
    git(seed, 'init', '-q', '-b', 'main');
    commit(seed, 'src/money.js', 'exports.cents = x => x * 100;\n');
    remote = path.join(dataDir, 'remote.git');
    execFileSync('git', ['clone', '-q', '--bare', seed, remote]);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function backend(
    id: TestDatabaseId,
    stack: object,
    agents: object = {},
  ) {
    const { db } = await createTestStore(databases, id);
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
                leaseDurationSeconds: 1,
              },
              workspaces: { root: path.join(dataDir, 'workspaces') },
              repositoryCache: { directory: path.join(dataDir, 'cache') },
              repositories: [{ name: 'acme/payments-api', url: remote }],
              ...agents,
            },
          },
        }),
      ],
    });
    const server = started.server;
    for (const body of [
      stack,
      object('AgentWorkspacePolicy', 'default', {
        provisioning: { mode: 'fresh', root: '.' },
      }),
    ]) {
      const applied = await request(server)
        .post('/api/agents/apply')
        .send(body);
      expect([applied.status, applied.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
    }
    return server;
  }

  /** Dispatches the stack and answers the run (finished) and its patch artifact. */
  async function finishedRunWithPatch(server: any) {
    const dispatched = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'fixer',
      prompt: 'Round the cents',
      repository: 'acme/payments-api',
    });
    expect(dispatched.status).toBe(201);
    const run = await waitForRun(
      server,
      dispatched.body.metadata.name,
      isFinished,
    );
    expect(run.status.phase).toBe('Succeeded');
    const listed = await request(server).get(
      `/api/agents/artifacts?run=${run.metadata.name}&namespace=acme`,
    );
    expect(listed.status).toBe(200);
    const patches = listed.body.items.filter(
      (a: any) => a.spec.kind === 'patch',
    );
    expect(patches).toHaveLength(1);
    return { run, artifact: patches[0] };
  }

  const remoteBranch = (branch: string) => {
    try {
      return execFileSync(
        'git',
        [
          '--git-dir',
          remote,
          'rev-parse',
          '--verify',
          '-q',
          `refs/heads/${branch}`,
        ],
        { encoding: 'utf8' },
      ).trim();
    } catch {
      return undefined;
    }
  };

  const workspacePath = async (server: any, run: any) => {
    const ws = await request(server).get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentworkspaces/${run.spec.workspace}`,
    );
    return ws.body.spec.path as string;
  };

  const writeBacks = (server: any, artifact: string) =>
    request(server)
      .get(`/api/agents/artifacts/${artifact}/write-backs?namespace=acme`)
      .then(r => r.body.items as any[]);

  it('takes the workspace diff as a ready artifact with its digest, stat and content', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: true }));
    const { run, artifact } = await finishedRunWithPatch(server);
    expect(artifact.status.state).toBe('ready');
    expect(artifact.spec.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifact.spec.title).toBe('Round cents');
    expect(artifact.spec.stat).toEqual({
      files: 1,
      insertions: 1,
      deletions: 1,
    });
    expect(artifact.spec.uncommitted).toBe(true);
    const content = await request(server).get(
      `/api/agents/artifacts/${artifact.metadata.name}/content?namespace=acme`,
    );
    expect(content.status).toBe(200);
    expect(content.text).toContain(
      '+exports.cents = x => Math.round(x * 100);',
    );
    const digest = `sha256:${require('node:crypto')
      .createHash('sha256')
      .update(content.text)
      .digest('hex')}`;
    expect(digest).toBe(artifact.spec.digest);
    const runNow = await request(server).get(
      `/api/agents/runs/${run.metadata.name}`,
    );
    expect(runNow.body.status.artifacts).toContain(artifact.metadata.name);
  });

  it('keeps no patch that holds a configured secret value, and will not write it back', async () => {
    const planted = 'planted-sandbox-token-5e1f0c';
    const leaky = object('AgentStack', 'fixer', {
      runtime: 'scripted',
      allowSelfApproval: true,
      writeBackPolicy: { mode: 'pull-request', requireApproval: false },
      script: {
        steps: [
          {
            writeFile: {
              path: 'src/money.js',
              content: `exports.token = '${planted}';\n`,
            },
          },
          { producePatch: { name: 'Leaky change' } },
        ],
      },
    });
    const server = await backend(databaseId, leaky, {
      secrets: { acme: { secrets: { sandbox: { token: planted } } } },
    });
    const { artifact } = await finishedRunWithPatch(server);
    expect(artifact.status).toEqual(
      expect.objectContaining({
        state: 'failed',
        message: expect.stringMatching(/holds a secret value/),
      }),
    );
    const content = await request(server).get(
      `/api/agents/artifacts/${artifact.metadata.name}/content?namespace=acme`,
    );
    expect(content.status).toBeGreaterThanOrEqual(400);
    expect(content.text).not.toContain(planted);
    const writeBack = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git', operation: 'branch', branch: 'agents/leaky' });
    expect(writeBack.status).toBe(409);
    expect(JSON.stringify(writeBack.body)).not.toContain(planted);
    expect(remoteBranch('agents/leaky')).toBeUndefined();
  });

  it('pushes the approved diff to a branch once, however often it is asked', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: true }));
    const { run, artifact } = await finishedRunWithPatch(server);
    const name = artifact.metadata.name;
    const ask = () =>
      request(server)
        .post(`/api/agents/artifacts/${name}/write-back?namespace=acme`)
        .send({
          target: 'git',
          operation: 'branch',
          branch: 'agents/fix-cents',
        });
    const first = await ask();
    expect(first.status).toBe(202);
    expect(first.body.writeBack.state).toBe('awaiting-approval');
    const again = await ask();
    expect(again.body.writeBack.key).toBe(first.body.writeBack.key);
    expect(again.body.approval).toBe(first.body.approval);
    expect(remoteBranch('agents/fix-cents')).toBeUndefined();

    const approval = await request(server).get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentapprovals/${first.body.approval}`,
    );
    expect(approval.body.spec.actionClass).toBe('write-back');
    expect(approval.body.spec.binding).toMatchObject({
      artifact: name,
      digest: artifact.spec.digest,
      target: 'git',
      operation: { operation: 'branch', branch: 'agents/fix-cents' },
    });

    const decided = await request(server)
      .post(
        `/api/agents/approvals/${first.body.approval}/decision?namespace=acme`,
      )
      .send({ decision: 'approve' });
    expect(decided.status).toBe(200);
    const [applied] = await until(
      () => writeBacks(server, name),
      items => items[0]?.state === 'applied',
    );
    // The run is told last, once the artifact and the audit log have it.
    const runNow = await until(
      () =>
        request(server)
          .get(`/api/agents/runs/${run.metadata.name}`)
          .then(r => r.body),
      body => Boolean(body.status?.writeBacks?.length),
    );
    const pushed = remoteBranch('agents/fix-cents');
    expect(pushed).toMatch(/^[0-9a-f]{40}$/);
    expect(applied.results).toEqual([
      { target: 'git', operation: 'branch', ref: pushed, remote },
    ]);
    expect(
      execFileSync(
        'git',
        ['--git-dir', remote, 'show', `${pushed}:src/money.js`],
        {
          encoding: 'utf8',
        },
      ),
    ).toBe('exports.cents = x => Math.round(x * 100);\n');
    // The workspace is clean now: its change is the pushed commit.
    const worktree = await workspacePath(server, run);
    expect(
      execFileSync('git', ['status', '--porcelain'], {
        cwd: worktree,
        encoding: 'utf8',
      }),
    ).toBe('');

    const after = await request(server).get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentreviewartifacts/${name}`,
    );
    expect(after.body.status).toMatchObject({
      state: 'applied',
      results: [{ target: 'git', ref: pushed }],
      provenance: {
        actor: 'user:default/mock',
        approvers: ['user:default/mock'],
        artifactDigest: artifact.spec.digest,
      },
    });
    expect(runNow.status.writeBacks).toEqual([
      expect.objectContaining({ artifact: name, state: 'applied' }),
    ]);

    const audit = await request(server).get(
      `/api/agents/audit?kind=AgentReviewArtifact&namespace=acme&name=${name}`,
    );
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'write-back:git:branch',
        actor: 'user:default/mock',
        afterDigest: artifact.spec.digest,
      }),
    );

    // Asked again after it was applied: the same record, nothing pushed twice.
    const late = await ask();
    expect(late.body.writeBack).toMatchObject({
      state: 'applied',
      key: first.body.writeBack.key,
    });
    expect(remoteBranch('agents/fix-cents')).toBe(pushed);
    const log = execFileSync(
      'git',
      [
        '--git-dir',
        remote,
        'rev-list',
        '--count',
        'refs/heads/agents/fix-cents',
      ],
      { encoding: 'utf8' },
    );
    expect(Number(log)).toBe(2);
  });

  it('voids the approval when the workspace changes after the request (409 on approve)', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: true }));
    const { run, artifact } = await finishedRunWithPatch(server);
    const asked = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git' });
    expect(asked.status).toBe(202);
    writeFileSync(
      path.join(await workspacePath(server, run), 'src/extra.js'),
      'x\n',
    );
    const decided = await request(server)
      .post(
        `/api/agents/approvals/${asked.body.approval}/decision?namespace=acme`,
      )
      .send({ decision: 'approve' });
    expect(decided.status).toBe(409);
    expect(decided.body.error.message).toMatch(/void — the diff changed/);
    const approval = await request(server).get(
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme/agentapprovals/${asked.body.approval}`,
    );
    expect(approval.body.status.state).toBe('void');
    const listed = await request(server).get(
      `/api/agents/artifacts?run=${run.metadata.name}&namespace=acme`,
    );
    const states = listed.body.items.map((a: any) => [
      a.metadata.name,
      a.status.state,
    ]);
    expect(states).toEqual([
      [artifact.metadata.name, 'superseded'],
      [expect.not.stringMatching(artifact.metadata.name), 'ready'],
    ]);
    expect((await writeBacks(server, artifact.metadata.name))[0].state).toBe(
      'void',
    );
    expect(remoteBranch(`agents/${run.metadata.name}`)).toBeUndefined();
  });

  it('refuses a write-back while the workspace is dirty beyond the artifact, mid-rebase or behind its upstream', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: true }));
    const { run, artifact } = await finishedRunWithPatch(server);
    const worktree = await workspacePath(server, run);
    writeFileSync(path.join(worktree, 'src/extra.js'), 'x\n');
    const dirty = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git' });
    expect(dirty.status).toBe(409);
    expect(dirty.body.error.message).toMatch(/dirty beyond the artifact/);
    const listed = await request(server).get(
      `/api/agents/artifacts?run=${run.metadata.name}&namespace=acme`,
    );
    const current = listed.body.items.find(
      (a: any) => a.status.state === 'ready',
    );
    const gitDir = execFileSync('git', ['rev-parse', '--git-dir'], {
      cwd: worktree,
      encoding: 'utf8',
    }).trim();
    mkdirSync(path.resolve(worktree, gitDir, 'rebase-merge'), {
      recursive: true,
    });
    const rebasing = await request(server)
      .post(
        `/api/agents/artifacts/${current.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git' });
    expect(rebasing.status).toBe(409);
    expect(rebasing.body.error.message).toMatch(/middle of a rebase/);
    rmSync(path.resolve(worktree, gitDir, 'rebase-merge'), {
      recursive: true,
    });

    // The branch it tracks moved on: the workspace needs a rebase first.
    const other = path.join(dataDir, 'other');
    execFileSync('git', ['clone', '-q', remote, other]);
    commit(other, 'README.md', 'moved on\n');
    execFileSync('git', ['push', '-q', 'origin', 'HEAD:main'], { cwd: other });
    execFileSync('git', ['fetch', '-q', 'origin'], { cwd: worktree });
    execFileSync('git', ['branch', '--set-upstream-to=origin/main'], {
      cwd: worktree,
      stdio: 'ignore',
    });
    const behind = await request(server)
      .post(
        `/api/agents/artifacts/${current.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git' });
    expect(behind.status).toBe(409);
    expect(behind.body.error.message).toMatch(
      /needs a rebase: it is 1 commit\(s\) behind origin\/main/,
    );
    expect(await writeBacks(server, current.metadata.name)).toEqual([]);
  });

  it('needs N distinct approvers when the stack asks for them', async () => {
    const server = await backend(
      databaseId,
      fixer(
        { requireApproval: true, requiredApprovals: 2 },
        {
          approvers: [
            'user:default/alice',
            'user:default/bob',
            'user:default/mock',
          ],
        },
      ),
    );
    const { artifact } = await finishedRunWithPatch(server);
    const asked = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git', branch: 'two-of-n' });
    const decide = (header: string) =>
      request(server)
        .post(
          `/api/agents/approvals/${asked.body.approval}/decision?namespace=acme`,
        )
        .set('authorization', header)
        .send({ decision: 'approve' });
    const one = await decide(ALICE);
    expect(one.status).toBe(200);
    expect(one.body.status.state).toBe('pending');
    expect(one.body.status.approvals).toEqual([
      expect.objectContaining({ by: 'user:default/alice' }),
    ]);
    expect((await decide(ALICE)).status).toBe(409);
    expect(remoteBranch('two-of-n')).toBeUndefined();
    const outsider = await request(server)
      .post(
        `/api/agents/approvals/${asked.body.approval}/decision?namespace=acme`,
      )
      .set('authorization', mockCredentials.user.header('user:default/mallory'))
      .send({ decision: 'approve' });
    expect(outsider.status).toBe(403);
    const two = await decide(BOB);
    expect(two.body.status.state).toBe('approved');
    await until(
      () => writeBacks(server, artifact.metadata.name),
      items => items[0]?.state === 'applied',
    );
    expect(remoteBranch('two-of-n')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('applies at once when the policy needs no approval', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: false }));
    const { artifact } = await finishedRunWithPatch(server);
    const asked = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git', branch: 'no-approval' });
    expect(asked.status).toBe(202);
    expect(asked.body.approval).toBeUndefined();
    await until(
      () => writeBacks(server, artifact.metadata.name),
      items => items[0]?.state === 'applied',
    );
    expect(remoteBranch('no-approval')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers bad requests with a 4xx naming the field and pushes nothing', async () => {
    const server = await backend(databaseId, fixer({ requireApproval: false }));
    const { artifact } = await finishedRunWithPatch(server);
    const url = `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`;
    const cases: [object, number, RegExp][] = [
      [
        { target: 'nowhere' },
        400,
        /^target: unknown write-back target 'nowhere'/,
      ],
      [{ target: 'git', branch: 'a..b' }, 400, /^branch: .*'\.\.'/],
      [{ target: 'git', branch: '-rf' }, 400, /^branch: .*'-'/],
      [
        { target: 'git', operation: 'comment', number: 3 },
        400,
        /^operation: target git does not do comment/,
      ],
      [{ target: 'git', force: true }, 400, /^force: unknown field/],
      [
        { target: 'git', operation: 'pull-request', body: 'x'.repeat(70000) },
        400,
        /^body: must be at most 65536/,
      ],
      [[], 400, /^body: must be a JSON object/],
    ];
    for (const [body, status, message] of cases) {
      const answer = await request(server).post(url).send(body);
      expect({
        body,
        status: answer.status,
        message: answer.body.error?.message,
      }).toEqual({
        body,
        status,
        message: expect.stringMatching(message),
      });
    }
    const otherOrg = await request(server)
      .post(
        `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=globex`,
      )
      .send({ target: 'git' });
    expect(otherOrg.status).toBe(404);
    expect(await writeBacks(server, artifact.metadata.name)).toEqual([]);
    expect(
      execFileSync(
        'git',
        [
          '--git-dir',
          remote,
          'for-each-ref',
          '--format=%(refname)',
          'refs/heads',
        ],
        { encoding: 'utf8' },
      ).trim(),
    ).toBe('refs/heads/main');
  });

  it.each([
    ['reject', 'rejected'],
    ['void', 'void'],
  ])(
    'an approval nobody decides in time expires; expiryAction %s leaves the write-back %s',
    async (expiryAction, state) => {
      const server = await backend(
        databaseId,
        fixer({ requireApproval: true, expiryAction }),
        { approvals: { expireAfterMinutes: 0.01 } },
      );
      const { artifact } = await finishedRunWithPatch(server);
      const url = `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`;
      const asked = await request(server)
        .post(url)
        .send({ target: 'git', branch: 'late' });
      expect(asked.status).toBe(202);
      await new Promise(r => setTimeout(r, 800));
      const decided = await request(server)
        .post(
          `/api/agents/approvals/${asked.body.approval}/decision?namespace=acme`,
        )
        .send({ decision: 'approve' });
      expect(decided.status).toBe(409);
      expect(decided.body.error.message).toMatch(/expired/);
      const [entry] = await until(
        () => writeBacks(server, artifact.metadata.name),
        items => items[0]?.state === state,
      );
      expect(entry.message).toMatch(/expired/);
      expect(remoteBranch('late')).toBeUndefined();
      // Asked again: a new approval for the same operation.
      const again = await request(server)
        .post(url)
        .send({ target: 'git', branch: 'late' });
      expect(again.status).toBe(202);
      expect(again.body.writeBack.state).toBe('awaiting-approval');
      expect(again.body.approval).not.toBe(asked.body.approval);
    },
  );

  it('proposes the last message of a comment-mode stack as a comment, and a propose step as a review', async () => {
    const server = await backend(
      databaseId,
      object('AgentStack', 'fixer', {
        runtime: 'scripted',
        systemPrompt: 'You review.',
        writeBackPolicy: { mode: 'comment', requireApproval: true },
        script: {
          steps: [
            { say: 'Reading the diff.' },
            { shell: 'true' },
            { say: 'Looks right, ' },
            { say: 'but round before storing.' },
            {
              propose: {
                kind: 'review',
                title: 'Review of #7',
                body: 'Please add a test for 1.15.',
                on: 'pull-request',
                number: '7',
              },
            },
          ],
        },
      }),
    );
    const dispatched = await request(server).post('/api/agents/runs').send({
      namespace: 'acme',
      stack: 'fixer',
      prompt: 'Review it',
    });
    const run = await waitForRun(
      server,
      dispatched.body.metadata.name,
      isFinished,
    );
    expect(run.status.phase).toBe('Succeeded');
    const listed = await request(server).get(
      `/api/agents/artifacts?run=${run.metadata.name}&namespace=acme`,
    );
    const byKind = Object.fromEntries(
      listed.body.items.map((a: any) => [a.spec.kind, a]),
    );
    expect(Object.keys(byKind).sort()).toEqual(['comment', 'review']);
    expect(byKind.review.spec).toMatchObject({
      title: 'Review of #7',
      target: { kind: 'pull-request', ref: '7' },
    });
    const comment = await request(server).get(
      `/api/agents/artifacts/${byKind.comment.metadata.name}/content?namespace=acme`,
    );
    expect(comment.text).toBe('Looks right, but round before storing.');
    // A comment artifact is no patch: it cannot be pushed.
    const pushed = await request(server)
      .post(
        `/api/agents/artifacts/${byKind.comment.metadata.name}/write-back?namespace=acme`,
      )
      .send({ target: 'git' });
    expect(pushed.status).toBe(400);
    expect(pushed.body.error.message).toMatch(
      /^operation: only a patch artifact/,
    );
  });
});
