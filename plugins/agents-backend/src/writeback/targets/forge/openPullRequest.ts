import { WriteBackError } from '@krate/plugin-agents-node';
import { ForgeOperation } from './ForgeOperation';
import { ForgePullRequest, ForgeRepositoryApi } from './ForgeRepositoryApi';
import { markedBody } from './markedBody';

/** The open pull request of `branch`; one into `base` first. */
async function findOpenPullRequest(
  api: ForgeRepositoryApi,
  branch: string,
  base: string,
): Promise<ForgePullRequest | undefined> {
  const found: ForgePullRequest[] = [];
  for await (const pulls of api.openPullRequestsOf(branch)) {
    found.push(...pulls);
  }
  return found.find(pull => pull.base.ref === base) ?? found[0];
}

/**
 * `pull-request`: pushes the branch, then makes sure exactly one open pull request of it exists
 * with the requested title and body. It looks first (an earlier try, or another replica, may
 * have opened it), updates what differs, and only creates when there is none; when the forge
 * answers that one exists after all, it looks again and takes that one.
 */
export const openPullRequest: ForgeOperation = async (api, request, target) => {
  const { operation, artifact, repository } = request;
  const branch = operation.branch;
  if (!branch) {
    throw new WriteBackError('A pull-request write-back needs a branch');
  }
  const pushed = await request.pushBranch(branch);
  const base =
    operation.base ?? repository.defaultBranch ?? (await api.defaultBranch());
  const wanted = {
    title: operation.title ?? artifact.title ?? artifact.name,
    body: markedBody(operation.body, request.marker),
  };
  const settle = async (pull: ForgePullRequest) =>
    pull.title === wanted.title && (pull.body ?? '') === wanted.body
      ? pull
      : api.updatePullRequest(pull.number, wanted);

  let pull = await findOpenPullRequest(api, branch, base);
  if (pull) {
    pull = await settle(pull);
  } else {
    pull = await api.createPullRequest(branch, base, wanted);
    if (!pull) {
      const existing = await findOpenPullRequest(api, branch, base);
      if (!existing) {
        throw new WriteBackError(
          `${target.displayName} says a pull request of ${branch} exists in ${api.fullName}, but none is open`,
          { retryable: true },
        );
      }
      pull = await settle(existing);
    }
  }
  return [
    pushed,
    {
      target: target.id,
      operation: 'pull-request',
      ref: String(pull.number),
      url: pull.html_url,
    },
  ];
};
