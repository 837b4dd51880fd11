import { mockServices } from '@backstage/backend-test-utils';
import { git } from '../../../__testUtils__/gitFixtures';
import { basicAuthorization } from '../../../__testUtils__/forges/forgeWriteBackKit';
import { GithubApiDouble } from '../../../__testUtils__/forges/GithubApiDouble';
import {
  assertNoSecret,
  BRANCH,
  failure,
  forgeTargetTestKit,
  REPO,
} from '../forge/__testUtils__/forgeTargetTestKit';
import {
  itCommentsOnceAfterALostAnswer,
  itFindsThePullRequestOfALostAnswer,
} from '../forge/__testUtils__/forgeTargetCases';
import { GithubWriteBackTarget } from './GithubWriteBackTarget';

// Each case pushes with the git CLI and talks HTTP to a forge double: seconds, not milliseconds,
// on a busy machine.
jest.setTimeout(30_000);

describe('GithubWriteBackTarget', () => {
  const kit = forgeTargetTestKit({
    target: 'github',
    name: 'GitHub',
    apiPrefix: '/api/v3',
    pullPath: 'pull',
    start: () => GithubApiDouble.start(),
    pushAuthorization: github =>
      basicAuthorization('x-access-token', github.token),
    fromConfig: config =>
      GithubWriteBackTarget.fromConfig(config, {
        logger: mockServices.logger.mock(),
      }),
  });
  const { targetFor, request, pullRequest } = kit;
  let github: GithubApiDouble;
  beforeEach(() => {
    github = kit.forge;
  });

  describe('supports', () => {
    it('names the integrations.github entry to configure when none matches the host', async () => {
      await expect(targetFor([]).supports(kit.repository)).resolves.toEqual({
        supported: false,
        reason: `No integrations.github entry for ${github.host}: configure one to open pull requests`,
      });
    });

    it('refuses a repository without a URL, or with a URL that is not <host>/<owner>/<repo>', async () => {
      const target = targetFor();
      await expect(target.supports({ name: REPO })).resolves.toEqual({
        supported: false,
        reason: expect.stringContaining(`${REPO} has no remote URL`),
      });
      await expect(
        target.supports({
          name: REPO,
          url: `https://bot:secret@${github.host}/acme/group/payments-api.git`,
        }),
      ).resolves.toEqual({
        supported: false,
        reason: `https://${github.host}/acme/group/payments-api.git is not a GitHub repository URL (<host>/<owner>/<repo>)`,
      });
    });

    it('refuses a host whose entry has neither a token nor an app (github.com by default)', async () => {
      await expect(
        targetFor([]).supports({
          name: REPO,
          url: 'git@github.com:acme/payments-api.git',
        }),
      ).resolves.toEqual({
        supported: false,
        reason:
          'The integrations.github entry for github.com has neither a token nor a GitHub App: configure one to open pull requests',
      });
    });

    it('supports a repository on a configured host', async () => {
      await expect(targetFor().supports(kit.repository)).resolves.toEqual({
        supported: true,
      });
    });
  });

  describe('pull-request', () => {
    it('pushes the branch, then opens one pull request into the default branch with the marker at the end of its body', async () => {
      const req = pullRequest();
      const results = await targetFor().apply(req);

      const sha = git(kit.sandbox.repo, 'rev-parse', 'HEAD');
      expect(results).toEqual([
        {
          target: 'git',
          operation: 'branch',
          ref: sha,
          remote: github.remote(REPO),
        },
        {
          target: 'github',
          operation: 'pull-request',
          ref: '1',
          url: `${github.origin}/${REPO}/pull/1`,
        },
      ]);
      expect(kit.push.pushes).toEqual([BRANCH]);
      const pulls = github.repositories.get(REPO).pulls;
      expect(pulls).toHaveLength(1);
      expect(pulls[0]).toMatchObject({
        title: 'Fix the flaky payment test',
        body: `Retries the flaky assertion.\n\n${req.marker}`,
        pull: { head: BRANCH, base: 'main' },
      });
      expect(github.requestsTo('GET', `/repos/${REPO}`)).toHaveLength(1);
      const served = await fetch(`${github.apiBaseUrl}/repos/${REPO}/pulls/1`, {
        headers: { authorization: `token ${github.token}` },
      }).then(r => r.json());
      expect(served.head).toMatchObject({
        ref: BRANCH,
        sha,
        label: `acme:${BRANCH}`,
      });
    });

    it('returns the same pull request when the same write-back is applied again, creating it once', async () => {
      const target = targetFor();
      const first = await target.apply(pullRequest());
      const second = await target.apply(pullRequest());

      expect(second).toEqual(first);
      expect(github.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      expect(github.requestsTo('PATCH', /\/pulls\/\d+$/)).toHaveLength(0);
      expect(github.repositories.get(REPO).pulls).toHaveLength(1);
    });

    it('updates the open pull request of the branch in place when its title or body differ', async () => {
      const target = targetFor();
      await target.apply(pullRequest());
      const [, result] = await target.apply(
        pullRequest({ title: 'Retry the flaky test' }),
      );

      expect(result.ref).toBe('1');
      expect(github.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      expect(github.requestsTo('PATCH', `/repos/${REPO}/pulls/1`)).toHaveLength(
        1,
      );
      expect(github.repositories.get(REPO).pull(1)?.title).toBe(
        'Retry the flaky test',
      );
    });

    it('takes the pull request another replica opened between its lookup and its create (422 already exists)', async () => {
      const req = pullRequest();
      github.faults.inject({
        kind: 'interleave',
        method: 'POST',
        path: `/api/v3/repos/${REPO}/pulls`,
        run: () =>
          github.repositories.addPullRequest(REPO, {
            head: BRANCH,
            base: 'main',
            title: 'Fix the flaky payment test',
            body: `Retries the flaky assertion.\n\n${req.marker}`,
          }),
      });

      const [, result] = await targetFor().apply(req);

      const creates = github.requestsTo('POST', `/repos/${REPO}/pulls`);
      expect(creates.map(c => c.status)).toEqual([422]);
      expect(result).toMatchObject({ operation: 'pull-request', ref: '1' });
      expect(github.repositories.get(REPO).pulls).toHaveLength(1);
    });

    itFindsThePullRequestOfALostAnswer(kit);
  });

  describe('comment and issue-comment', () => {
    itCommentsOnceAfterALostAnswer(kit);

    it('finds its comment behind 120 others, on the second page, and posts nothing', async () => {
      const issue = github.repositories.addIssue(REPO, { title: 'Flaky test' });
      const req = request({
        operation: 'issue-comment',
        number: issue.number,
        body: 'Fixed.',
      });
      for (let i = 0; i < 120; i += 1) {
        github.repositories.addComment(REPO, issue.number, {
          body: `+1 (${i})`,
          user: 'alice',
        });
      }
      const ours = github.repositories.addComment(REPO, issue.number, {
        body: `Fixed.\n\n${req.marker}`,
      });

      const [result] = await targetFor().apply(req);

      expect(result).toEqual({
        target: 'github',
        operation: 'issue-comment',
        ref: String(ours.id),
        url: `${github.origin}/${REPO}/issues/1#issuecomment-${ours.id}`,
      });
      const reads = github.requestsTo(
        'GET',
        `/repos/${REPO}/issues/1/comments`,
      );
      expect(
        reads.map(r => new URLSearchParams(r.query).get('page') ?? '1'),
      ).toEqual(['1', '2']);
      expect(
        github.requestsTo('POST', `/repos/${REPO}/issues/1/comments`),
      ).toHaveLength(0);
    });
  });

  describe('review', () => {
    it('posts one review with the requested verdict and finds it again among 130 reviews', async () => {
      github.repositories.addPullRequest(REPO, {
        head: BRANCH,
        title: 'By alice',
        user: 'alice',
      });
      const target = targetFor();
      const req = request({
        operation: 'review',
        number: 1,
        body: 'Looks right.',
        reviewEvent: 'APPROVE',
      });
      for (let i = 0; i < 130; i += 1) {
        github.repositories.addReview(REPO, 1, {
          body: `nit ${i}`,
          state: 'COMMENTED',
          user: 'bob',
        });
      }

      const [first] = await target.apply(req);
      const [second] = await target.apply(req);

      expect(second).toEqual(first);
      const ours = github.repositories
        .get(REPO)
        .reviewsOf(1)
        .filter(r => r.user === 'krate-bot');
      expect(ours).toEqual([
        expect.objectContaining({
          state: 'APPROVED',
          body: `Looks right.\n\n${req.marker}`,
        }),
      ]);
      expect(first).toEqual({
        target: 'github',
        operation: 'review',
        ref: String(ours[0].id),
        url: `${github.origin}/${REPO}/pull/1#pullrequestreview-${ours[0].id}`,
      });
      expect(
        github.requestsTo('POST', `/repos/${REPO}/pulls/1/reviews`),
      ).toHaveLength(1);
    });
  });

  describe('workflow-rerun', () => {
    it('re-runs a finished run once: applied again, it finds the run queued and does not post', async () => {
      const run = github.repositories.addWorkflowRun(REPO, {
        status: 'completed',
        conclusion: 'failure',
      });
      const target = targetFor();
      const req = request({
        operation: 'workflow-rerun',
        workflowRunId: run.id,
      });

      const [first] = await target.apply(req);
      const [second] = await target.apply(req);

      expect(first).toEqual({
        target: 'github',
        operation: 'workflow-rerun',
        ref: String(run.id),
        url: `${github.origin}/${REPO}/actions/runs/${run.id}`,
      });
      expect(second).toEqual(first);
      expect(
        github.requestsTo(
          'POST',
          `/repos/${REPO}/actions/runs/${run.id}/rerun`,
        ),
      ).toHaveLength(1);
      expect(run).toMatchObject({ status: 'queued', runAttempt: 2 });
    });
  });

  describe('failures', () => {
    it('reports a secondary rate limit as retryable after the wait GitHub asks for', async () => {
      github.faults.inject({
        kind: 'secondary-rate-limit',
        retryAfterSeconds: 120,
      });
      const error = await failure(targetFor().apply(pullRequest()));

      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(120_000);
      expect(error.message).toMatch(
        /^GitHub answered 403 for acme\/payments-api .*You have exceeded a secondary rate limit/,
      );
      expect(github.repositories.get(REPO).pulls).toHaveLength(0);
      assertNoSecret(error, github.token);
    });

    it('waits until x-ratelimit-reset after a 429 without retry-after', async () => {
      github.faults.inject({ kind: 'rate-limit', rateLimitResetSeconds: 30 });
      const error = await failure(
        targetFor().apply(
          request({ operation: 'issue-comment', number: 1, body: 'x' }),
        ),
      );

      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBeGreaterThan(25_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(31_000);
    });

    it('reports a 500 as retryable', async () => {
      github.faults.inject({ kind: 'server-error' });
      const error = await failure(
        targetFor().apply(
          request({ operation: 'comment', number: 1, body: 'x' }),
        ),
      );
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBeUndefined();
    });

    it('reports a 404 as final, naming the repository and what was asked', async () => {
      const error = await failure(
        targetFor().apply(
          request({ operation: 'review', number: 12, body: 'x' }),
        ),
      );

      expect(error.retryable).toBe(false);
      expect(error.message).toBe(
        'GitHub answered 404 for acme/payments-api reviews of pull request #12: Not Found',
      );
    });

    it('reports a refused token as final without ever showing the token', async () => {
      const secret = 'ghp_n0t-the-r1ght-t0ken';
      const error = await failure(
        targetFor([{ ...github.integration, token: secret }]).apply(
          request({ operation: 'comment', number: 1, body: 'x' }),
        ),
      );

      expect(error.retryable).toBe(false);
      expect(error.message).toBe(
        'GitHub answered 401 for acme/payments-api comments of #1: Bad credentials',
      );
      assertNoSecret(error, secret);
    });
  });
});
