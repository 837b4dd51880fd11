import { mockServices } from '@backstage/backend-test-utils';
import { git } from '../../../__testUtils__/gitFixtures';
import { basicAuthorization } from '../../../__testUtils__/forges/forgeWriteBackKit';
import { GiteaApiDouble } from '../../../__testUtils__/forges/GiteaApiDouble';
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
import { GiteaWriteBackTarget } from './GiteaWriteBackTarget';

// Each case pushes with the git CLI and talks HTTP to a forge double: seconds, not milliseconds,
// on a busy machine.
jest.setTimeout(30_000);

describe('GiteaWriteBackTarget', () => {
  const kit = forgeTargetTestKit({
    target: 'gitea',
    name: 'Gitea',
    apiPrefix: '/api/v1',
    pullPath: 'pulls',
    start: () => GiteaApiDouble.start(),
    pushAuthorization: gitea =>
      basicAuthorization(gitea.username, gitea.password),
    fromConfig: config =>
      GiteaWriteBackTarget.fromConfig(config, {
        logger: mockServices.logger.mock(),
      }),
  });
  const { targetFor, request, pullRequest } = kit;
  let gitea: GiteaApiDouble;
  beforeEach(() => {
    gitea = kit.forge;
  });

  it('offers pull requests, reviews and comments, but no workflow re-runs', () => {
    expect(targetFor().operations).toEqual([
      'pull-request',
      'review',
      'comment',
      'issue-comment',
    ]);
  });

  describe('supports', () => {
    it('names the integrations.gitea entry to configure when none matches the host', async () => {
      await expect(targetFor([]).supports(kit.repository)).resolves.toEqual({
        supported: false,
        reason: `No integrations.gitea entry for ${gitea.host}: configure one to open pull requests`,
      });
    });

    it('refuses an entry without credentials, a repository without URL, and a URL outside <owner>/<repo>', async () => {
      await expect(
        targetFor([{ host: gitea.host, baseUrl: gitea.origin }]).supports(
          kit.repository,
        ),
      ).resolves.toEqual({
        supported: false,
        reason: `The integrations.gitea entry for ${gitea.host} has no password or token: configure one to open pull requests`,
      });
      const target = targetFor();
      await expect(target.supports({ name: REPO })).resolves.toMatchObject({
        supported: false,
        reason: expect.stringContaining(`${REPO} has no remote URL`),
      });
      await expect(
        target.supports({
          name: REPO,
          url: `${gitea.origin}/acme/payments-api/src/branch/main`,
        }),
      ).resolves.toEqual({
        supported: false,
        reason: `${gitea.origin}/acme/payments-api/src/branch/main is not a Gitea repository URL (<host>/<owner>/<repo>)`,
      });
    });

    it('reads owner and repository below a baseUrl with a path', async () => {
      const target = targetFor([
        { ...gitea.integration, baseUrl: `${gitea.origin}/git` },
      ]);
      await expect(
        target.supports({
          name: REPO,
          url: `${gitea.origin}/git/acme/payments-api.git`,
        }),
      ).resolves.toEqual({ supported: true });
      await expect(target.supports(kit.repository)).resolves.toEqual({
        supported: false,
        reason: `${gitea.origin}/acme/payments-api.git is not below the Gitea at ${gitea.origin}/git`,
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
          remote: gitea.remote(REPO),
        },
        {
          target: 'gitea',
          operation: 'pull-request',
          ref: '1',
          url: `${gitea.origin}/${REPO}/pulls/1`,
        },
      ]);
      const pulls = gitea.repositories.get(REPO).pulls;
      expect(pulls).toHaveLength(1);
      expect(pulls[0]).toMatchObject({
        title: 'Fix the flaky payment test',
        body: `Retries the flaky assertion.\n\n${req.marker}`,
        user: 'krate-bot',
        pull: { head: BRANCH, base: 'main' },
      });
      const served = await fetch(
        `${gitea.origin}/api/v1/repos/${REPO}/pulls/1`,
        {
          headers: { authorization: `token ${gitea.token}` },
        },
      ).then(r => r.json());
      expect(served.head).toMatchObject({ ref: BRANCH, sha });
    });

    it('returns the same pull request when applied again, and updates it in place when the title changes', async () => {
      const target = targetFor();
      const first = await target.apply(pullRequest());
      const again = await target.apply(pullRequest());
      const [, renamed] = await target.apply(
        pullRequest({ title: 'Retry the flaky test' }),
      );

      expect(again).toEqual(first);
      expect(renamed.ref).toBe('1');
      expect(gitea.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      expect(gitea.requestsTo('PATCH', `/repos/${REPO}/pulls/1`)).toHaveLength(
        1,
      );
      expect(gitea.repositories.get(REPO).pull(1)?.title).toBe(
        'Retry the flaky test',
      );
    });

    it('finds its pull request among more than one page of open pull requests', async () => {
      const req = pullRequest();
      await targetFor().apply(req);
      for (let i = 0; i < 60; i += 1) {
        gitea.repositories.addPullRequest(REPO, {
          head: `feature/${i}`,
          title: `Feature ${i}`,
        });
      }

      const [, result] = await targetFor().apply(req);

      expect(result.ref).toBe('1');
      expect(gitea.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
      const reads = gitea.requestsTo('GET', `/repos/${REPO}/pulls`).slice(1);
      expect(reads.map(r => new URLSearchParams(r.query).get('page'))).toEqual([
        '1',
        '2',
      ]);
    });

    it('takes the pull request another replica opened between its lookup and its create (409)', async () => {
      const req = pullRequest();
      gitea.faults.inject({
        kind: 'interleave',
        method: 'POST',
        path: `/api/v1/repos/${REPO}/pulls`,
        run: () =>
          gitea.repositories.addPullRequest(REPO, {
            head: BRANCH,
            title: 'Opened by the other replica',
            body: `Retries the flaky assertion.\n\n${req.marker}`,
          }),
      });

      const [, result] = await targetFor().apply(req);

      expect(
        gitea.requestsTo('POST', `/repos/${REPO}/pulls`).map(c => c.status),
      ).toEqual([409]);
      expect(result).toMatchObject({ operation: 'pull-request', ref: '1' });
      expect(gitea.repositories.get(REPO).pulls).toHaveLength(1);
      expect(gitea.repositories.get(REPO).pull(1)?.title).toBe(
        'Fix the flaky payment test',
      );
    });

    itFindsThePullRequestOfALostAnswer(kit);
  });

  describe('comment and issue-comment', () => {
    itCommentsOnceAfterALostAnswer(kit);

    it('finds its comment behind 60 others (more than a page) and posts nothing', async () => {
      const issue = gitea.repositories.addIssue(REPO, { title: 'Flaky test' });
      const req = request({
        operation: 'issue-comment',
        number: issue.number,
        body: 'Fixed.',
      });
      for (let i = 0; i < 60; i += 1) {
        gitea.repositories.addComment(REPO, issue.number, {
          body: `+1 (${i})`,
          user: 'alice',
        });
      }
      const ours = gitea.repositories.addComment(REPO, issue.number, {
        body: `Fixed.\n\n${req.marker}`,
      });

      const [result] = await targetFor().apply(req);

      expect(result).toEqual({
        target: 'gitea',
        operation: 'issue-comment',
        ref: String(ours.id),
        url: `${gitea.origin}/${REPO}/issues/1#issuecomment-${ours.id}`,
      });
      expect(
        gitea.requestsTo('GET', `/repos/${REPO}/issues/1/comments`),
      ).toHaveLength(1);
      expect(
        gitea.requestsTo('POST', `/repos/${REPO}/issues/1/comments`),
      ).toHaveLength(0);
    });
  });

  describe('review', () => {
    it("posts one review with Gitea's verdict and finds it again behind 60 reviews (pages without Link)", async () => {
      gitea.repositories.addPullRequest(REPO, {
        head: BRANCH,
        title: 'By alice',
        user: 'alice',
      });
      for (let i = 0; i < 60; i += 1) {
        gitea.repositories.addReview(REPO, 1, {
          body: `nit ${i}`,
          state: 'COMMENT',
          user: 'bob',
        });
      }
      const target = targetFor();
      const req = request({
        operation: 'review',
        number: 1,
        body: 'Looks right.',
        reviewEvent: 'APPROVE',
      });

      const [first] = await target.apply(req);
      const [second] = await target.apply(req);

      expect(second).toEqual(first);
      const ours = gitea.repositories
        .get(REPO)
        .reviewsOf(1)
        .filter(r => r.user === 'krate-bot');
      expect(ours).toEqual([
        expect.objectContaining({
          state: 'APPROVED',
          body: `Looks right.\n\n${req.marker}`,
        }),
      ]);
      expect(first).toMatchObject({
        target: 'gitea',
        operation: 'review',
        ref: String(ours[0].id),
      });
      expect(
        gitea.requestsTo('POST', `/repos/${REPO}/pulls/1/reviews`),
      ).toHaveLength(1);
      const pages = gitea
        .requestsTo('GET', `/repos/${REPO}/pulls/1/reviews`)
        .map(r => new URLSearchParams(r.query).get('page'));
      expect(pages).toEqual(['1', '2', '1', '2']);
    });
  });

  describe('failures', () => {
    it('reports a 429 as retryable after its Retry-After', async () => {
      gitea.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 90 });
      const error = await failure(targetFor().apply(pullRequest()));

      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(90_000);
      expect(error.message).toMatch(
        /^Gitea answered 429 for acme\/payments-api /,
      );
      expect(gitea.repositories.get(REPO).pulls).toHaveLength(0);
    });

    it('reports a 500 as retryable', async () => {
      gitea.faults.inject({ kind: 'server-error' });
      const error = await failure(
        targetFor().apply(
          request({ operation: 'comment', number: 1, body: 'x' }),
        ),
      );
      expect(error.retryable).toBe(true);
    });

    it('reports a 404 as final, naming the repository and what was asked', async () => {
      const error = await failure(
        targetFor().apply(
          request({ operation: 'review', number: 12, body: 'x' }),
        ),
      );

      expect(error.retryable).toBe(false);
      expect(error.message).toBe(
        "Gitea answered 404 for acme/payments-api reviews of pull request #12: The target couldn't be found.",
      );
    });

    it('reports refused credentials as final without ever showing the password', async () => {
      const secret = 'n0t-the-r1ght-passw0rd';
      const error = await failure(
        targetFor([{ ...gitea.integration, password: secret }]).apply(
          request({ operation: 'comment', number: 1, body: 'x' }),
        ),
      );

      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(
        /^Gitea answered 401 for acme\/payments-api comments of #1/,
      );
      assertNoSecret(error, secret);
      assertNoSecret(
        error,
        Buffer.from(`${gitea.username}:${secret}`).toString('base64'),
      );
    });
  });
});
