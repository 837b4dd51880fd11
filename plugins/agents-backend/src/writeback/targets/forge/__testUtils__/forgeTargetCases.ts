import {
  BRANCH,
  failure,
  ForgeTargetTestKit,
  REPO,
} from './forgeTargetTestKit';

/*
 * Cases of the forge-independent operations whose every step is the same on each forge: each
 * forge's test file declares them against its own double. Nothing here runs on import, which is
 * what jest/no-export guards against.
 */
/* eslint-disable jest/no-export */

export function itFindsThePullRequestOfALostAnswer(kit: ForgeTargetTestKit) {
  it('finds the pull request a try whose answer was lost had created, and does not create a second', async () => {
    const { forge, names } = kit;
    forge.faults.inject({
      kind: 'crash-after-create',
      method: 'POST',
      path: `${names.apiPrefix}/repos/${REPO}/pulls`,
    });
    const target = kit.targetFor();

    const lost = await failure(target.apply(kit.pullRequest()));
    expect(lost.retryable).toBe(true);
    expect(lost.message).toMatch(
      new RegExp(`^Could not reach ${names.name} for acme/payments-api`),
    );
    const [, result] = await target.apply(kit.pullRequest());

    expect(result.ref).toBe('1');
    expect(forge.requestsTo('POST', `/repos/${REPO}/pulls`)).toHaveLength(1);
    expect(forge.repositories.get(REPO).pulls).toHaveLength(1);
  });
}

export function itCommentsOnceAfterALostAnswer(kit: ForgeTargetTestKit) {
  it('comments once on a pull request: the retry after a lost answer finds the comment by its marker', async () => {
    const { forge, names } = kit;
    forge.repositories.addPullRequest(REPO, {
      head: BRANCH,
      title: 'Earlier work',
    });
    forge.faults.inject({
      kind: 'crash-after-create',
      method: 'POST',
      path: `${names.apiPrefix}/repos/${REPO}/issues/1/comments`,
    });
    const target = kit.targetFor();
    const req = kit.request({
      operation: 'comment',
      number: 1,
      body: 'All green now.',
    });

    expect((await failure(target.apply(req))).retryable).toBe(true);
    const [result] = await target.apply(req);

    const comments = forge.repositories.get(REPO).commentsOf(1);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(`All green now.\n\n${req.marker}`);
    expect(result).toEqual({
      target: names.target,
      operation: 'comment',
      ref: String(comments[0].id),
      url: `${forge.origin}/${REPO}/${names.pullPath}/1#issuecomment-${comments[0].id}`,
    });
    expect(
      forge.requestsTo('POST', `/repos/${REPO}/issues/1/comments`),
    ).toHaveLength(1);
  });
}
