import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { agentsPlugin } from '../plugin';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { createTestStore } from '../__testUtils__/createTestStore';
import { isFinished, waitForRun } from '../__testUtils__/dispatchTestKit';
import { GithubApiDouble } from '../__testUtils__/forges/GithubApiDouble';
import { commit, gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { until } from '../__testUtils__/until';
import { agentsModuleGithubWriteBack } from './targets/github';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const REPO = 'acme/payments-api';
const SECRET = 'a-webhook-secret-of-some-length';
const API = '/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/acme';

const stack = {
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'fixer', namespace: 'acme' },
  spec: {
    runtime: 'scripted',
    systemPrompt: 'You fix things.',
    allowSelfApproval: true,
    writeBackPolicy: {
      mode: 'pull-request',
      requireApproval: true,
      onChangesRequested: 'continue',
    },
    script: {
      steps: [
        {
          writeFile: {
            path: 'src/money.js',
            content: 'exports.cents = x => Math.round(x * 100);\n',
          },
        },
      ],
      continueSteps: [
        {
          writeFile: {
            path: 'src/money.js',
            content: 'exports.cents = x => Math.round(Number(x) * 100);\n',
          },
        },
      ],
    },
  },
};

describe.each(databases.eachSupportedId())(
  'write-back to a GitHub double on %p',
  databaseId => {
    let github: GithubApiDouble;
    let sandbox: ReturnType<typeof gitSandbox>;
    let dataDir: string;

    beforeEach(async () => {
      github = await GithubApiDouble.start();
      sandbox = gitSandbox();
      commit(sandbox.repo, 'src/money.js', 'exports.cents = x => x * 100;\n');
      github.repositories.add(REPO, { source: sandbox.repo });
      dataDir = mkdtempSync(path.join(tmpdir(), 'krate-write-back-gh-'));
    });
    afterEach(async () => {
      await github.close();
      sandbox.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function backend(id: TestDatabaseId) {
      const { db } = await createTestStore(databases, id);
      const started = await startTestBackend({
        features: [
          agentsPlugin,
          agentsModuleScriptedRuntime,
          agentsModuleGithubWriteBack,
          mockServices.database.factory({ knex: db.knex }),
          mockServices.rootConfig.factory({
            data: {
              integrations: { github: [github.integration] },
              agents: {
                dispatch: {
                  runsRoot: path.join(dataDir, 'runs'),
                  pollIntervalMs: 50,
                  leaseDurationSeconds: 1,
                },
                workspaces: { root: path.join(dataDir, 'workspaces') },
                repositoryCache: { directory: path.join(dataDir, 'cache') },
                repositories: [{ name: REPO, url: github.remote(REPO) }],
                webhooks: [{ name: 'github', secret: SECRET }],
                writeBack: { leaseSeconds: 1 },
              },
            },
          }),
        ],
      });
      const server = started.server;
      const applied = await request(server)
        .post('/api/agents/apply')
        .send(stack);
      expect(applied.status).toBe(200);
      return { server, knex: db.knex };
    }

    async function finishedRun(server: any) {
      const dispatched = await request(server).post('/api/agents/runs').send({
        namespace: 'acme',
        stack: 'fixer',
        prompt: 'Round the cents',
        repository: REPO,
      });
      expect(dispatched.status).toBe(201);
      return waitForRun(server, dispatched.body.metadata.name, isFinished);
    }

    const artifactsOf = async (server: any, run: string) =>
      (
        await request(server).get(
          `/api/agents/artifacts?run=${run}&namespace=acme`,
        )
      ).body.items as any[];

    const writeBacks = (server: any, artifact: string) =>
      request(server)
        .get(`/api/agents/artifacts/${artifact}/write-backs?namespace=acme`)
        .then(r => r.body.items as any[]);

    async function approve(server: any, approval: string) {
      const decided = await request(server)
        .post(`/api/agents/approvals/${approval}/decision?namespace=acme`)
        .send({ decision: 'approve' });
      expect([decided.status, decided.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
    }

    const pullRequestBody = {
      target: 'github',
      operation: 'pull-request',
      branch: 'agents/round-cents',
      title: 'Round cents',
      body: 'Rounds amounts to the nearest cent.',
    };

    it('lists github as available and explains what to configure elsewhere', async () => {
      const { server } = await backend(databaseId);
      const run = await finishedRun(server);
      const [artifact] = await artifactsOf(server, run.metadata.name);
      const targets = await request(server).get(
        `/api/agents/artifacts/${artifact.metadata.name}/targets?namespace=acme`,
      );
      expect(targets.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ target: 'git', available: true }),
          expect.objectContaining({ target: 'github', available: true }),
        ]),
      );
    });

    it('opens one pull request even when the forge dies after creating it', async () => {
      const { server } = await backend(databaseId);
      const run = await finishedRun(server);
      const [artifact] = await artifactsOf(server, run.metadata.name);
      github.faults.inject({
        kind: 'crash-after-create',
        method: 'POST',
        path: `/api/v3/repos/${REPO}/pulls`,
      });
      const asked = await request(server)
        .post(
          `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
        )
        .send(pullRequestBody);
      expect(asked.status).toBe(202);
      await approve(server, asked.body.approval);
      // A second click on the same request changes nothing.
      const again = await request(server)
        .post(
          `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
        )
        .send(pullRequestBody);
      expect(again.body.writeBack.key).toBe(asked.body.writeBack.key);
      const [entry] = await until(
        () => writeBacks(server, artifact.metadata.name),
        items => items[0]?.state === 'applied',
      );
      const pulls = github.repositories.get(REPO).pulls;
      expect(pulls).toHaveLength(1);
      expect(github.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      const [pull] = pulls;
      expect(pull.pull?.head).toBe('agents/round-cents');
      expect(pull.body).toContain(`<!-- krate-write-back:${entry.key} -->`);
      expect(entry.results).toEqual([
        expect.objectContaining({ target: 'git', operation: 'branch' }),
        {
          target: 'github',
          operation: 'pull-request',
          ref: String(pull.number),
          url: expect.stringContaining(`/${REPO}/pull/${pull.number}`),
        },
      ]);
    });

    it('reconciles after a restart between "pull request created" and "recorded"', async () => {
      const first = await backend(databaseId);
      const run = await finishedRun(first.server);
      const [artifact] = await artifactsOf(first.server, run.metadata.name);
      // The instance holding the write-back dies while it applies: the forge creates the pull
      // request, and by the time the answer arrives the lease belongs to an instance that is gone
      // (as when an instance is killed and another's claim is what the row remembers).
      github.faults.inject({
        kind: 'interleave',
        method: 'POST',
        path: `/api/v3/repos/${REPO}/pulls`,
        run: () =>
          first.knex('agents_write_backs').update({
            owner: 'a-dead-instance',
            lease_until: Date.now() + 1000,
          }),
      });
      const asked = await request(first.server)
        .post(
          `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
        )
        .send(pullRequestBody);
      await approve(first.server, asked.body.approval);
      await until(
        () => Promise.resolve(github.repositories.get(REPO).pulls.length),
        count => count === 1,
      );
      // The live instance lost the lease and may not record; once the dead one's lease lapses a
      // pass takes the row over and finds the pull request instead of opening another.
      const [entry] = await until(
        () => writeBacks(first.server, artifact.metadata.name),
        items => items[0]?.state === 'applied',
      );
      expect(github.repositories.get(REPO).pulls).toHaveLength(1);
      expect(github.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      expect(entry.results[1].ref).toBe(
        String(github.repositories.get(REPO).pulls[0].number),
      );
      const row = await first.knex('agents_write_backs').first('tries');
      expect(Number(row.tries)).toBe(2);
    });

    it('changes requested on the pull request: the follow-up updates the same pull request', async () => {
      const { server } = await backend(databaseId);
      const run = await finishedRun(server);
      const name = run.metadata.name;
      const [artifact] = await artifactsOf(server, name);
      const asked = await request(server)
        .post(
          `/api/agents/artifacts/${artifact.metadata.name}/write-back?namespace=acme`,
        )
        .send(pullRequestBody);
      await approve(server, asked.body.approval);
      await until(
        () => writeBacks(server, artifact.metadata.name),
        items => items[0]?.state === 'applied',
      );
      const [pull] = github.repositories.get(REPO).pulls;
      const firstHead = github.repositories
        .get(REPO)
        .branchHeads()
        .get('agents/round-cents');

      const payload = JSON.stringify({
        action: 'submitted',
        review: {
          id: 77,
          state: 'changes_requested',
          body: 'Coerce the amount to a number first.',
          user: { login: 'octocat' },
          html_url: `${github.origin}/${REPO}/pull/${pull.number}#review-77`,
        },
        pull_request: {
          number: pull.number,
          head: { ref: 'agents/round-cents' },
        },
        repository: { full_name: REPO },
        sender: { login: 'octocat' },
      });
      const delivered = await request(server)
        .post('/api/agents/webhooks/github')
        .set('content-type', 'application/json')
        .set('x-github-event', 'pull_request_review')
        .set('x-github-delivery', randomUUID())
        .set(
          'x-hub-signature-256',
          `sha256=${createHmac('sha256', SECRET)
            .update(payload)
            .digest('hex')}`,
        )
        .send(payload);
      expect(delivered.status).toBe(202);

      const reviewed = await until(
        () =>
          request(server)
            .get(`/api/agents/runs/${name}`)
            .then(r => r.body),
        body => body.status?.review?.state === 'ReviewChangesRequested',
      );
      expect(reviewed.status.review).toMatchObject({
        artifact: artifact.metadata.name,
        pullRequest: pull.number,
        message: expect.stringContaining('octocat'),
      });
      // The continue attempt works the review and finishes with a new diff.
      const continued = await until(
        () =>
          request(server)
            .get(`/api/agents/runs/${name}`)
            .then(r => r.body),
        body => body.status?.currentAttempt === `${name}-2` && isFinished(body),
      );
      expect(continued.status.phase).toBe('Succeeded');
      const bundle = await request(server).get(
        `${API}/agentcontextbundles/${name}-2-context`,
      );
      expect(JSON.stringify(bundle.body.spec.parts)).toContain(
        'Coerce the amount to a number first.',
      );

      const artifacts = await artifactsOf(server, name);
      expect(artifacts.map((a: any) => a.status.state)).toEqual([
        'superseded',
        'ready',
      ]);
      const followUp = artifacts[1];
      expect(followUp.spec.supersedes).toBe(artifact.metadata.name);
      const [request2] = await until(
        () => writeBacks(server, followUp.metadata.name),
        items => items[0]?.state === 'awaiting-approval',
      );
      expect(request2.operation).toMatchObject({
        operation: 'pull-request',
        branch: 'agents/round-cents',
      });
      await approve(server, request2.approval);
      const [applied] = await until(
        () => writeBacks(server, followUp.metadata.name),
        items => items[0]?.state === 'applied',
      );
      const pulls = github.repositories.get(REPO).pulls;
      expect(pulls).toHaveLength(1);
      expect(applied.results[1].ref).toBe(String(pull.number));
      const newHead = github.repositories
        .get(REPO)
        .branchHeads()
        .get('agents/round-cents');
      expect(newHead).not.toBe(firstHead);
      expect(github.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      // Once the follow-up reached the pull request, the run shows the review answered.
      const done = await until(
        () =>
          request(server)
            .get(`/api/agents/runs/${name}`)
            .then(r => r.body),
        body => body.status?.writeBacks?.length === 2,
      );
      expect(done.status.review).toBeUndefined();
    });
  },
);
