import {
  ForgeComment,
  ForgeIssue,
  ForgeRepository,
  ForgeReview,
  ForgeWorkflowRun,
} from './ForgeRepositories';

/** Where the JSON of the GitHub double points: the web origin and the API base. */
export interface GithubLinks {
  origin: string;
  api: string;
}

function userId(login: string) {
  let id = 0;
  for (const char of login) {
    id = (id * 31 + char.charCodeAt(0)) % 1_000_000;
  }
  return id + 1;
}

export function githubUser(login: string, links: GithubLinks) {
  return {
    login,
    id: userId(login),
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    url: `${links.api}/users/${login}`,
    html_url: `${links.origin}/${login}`,
  };
}

export function githubRepository(repo: ForgeRepository, links: GithubLinks) {
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    owner: { ...githubUser(repo.owner, links), type: 'Organization' },
    url: `${links.api}/repos/${repo.fullName}`,
    html_url: `${links.origin}/${repo.fullName}`,
    clone_url: `${links.origin}/${repo.fullName}.git`,
    default_branch: repo.defaultBranch,
  };
}

export function githubPull(
  repo: ForgeRepository,
  issue: ForgeIssue,
  heads: Map<string, string>,
  links: GithubLinks,
) {
  const pull = issue.pull!;
  const api = `${links.api}/repos/${repo.fullName}`;
  const side = (ref: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha: heads.get(ref) ?? '',
    user: githubUser(repo.owner, links),
    repo: githubRepository(repo, links),
  });
  return {
    url: `${api}/pulls/${issue.number}`,
    id: pull.id,
    html_url: `${links.origin}/${repo.fullName}/pull/${issue.number}`,
    diff_url: `${links.origin}/${repo.fullName}/pull/${issue.number}.diff`,
    issue_url: `${api}/issues/${issue.number}`,
    comments_url: `${api}/issues/${issue.number}/comments`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: githubUser(issue.user, links),
    body: issue.body,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.state === 'closed' ? issue.updatedAt : null,
    merged_at: null,
    head: side(pull.head),
    base: side(pull.base),
    draft: false,
    merged: pull.merged,
  };
}

export function githubIssue(
  repo: ForgeRepository,
  issue: ForgeIssue,
  links: GithubLinks,
) {
  const api = `${links.api}/repos/${repo.fullName}`;
  return {
    id: issue.id,
    number: issue.number,
    url: `${api}/issues/${issue.number}`,
    html_url: `${links.origin}/${repo.fullName}/${
      issue.pull ? 'pull' : 'issues'
    }/${issue.number}`,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: githubUser(issue.user, links),
    comments: repo.commentsOf(issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api}/pulls/${issue.number}`,
            html_url: `${links.origin}/${repo.fullName}/pull/${issue.number}`,
          },
        }
      : {}),
  };
}

export function githubComment(
  repo: ForgeRepository,
  comment: ForgeComment,
  links: GithubLinks,
) {
  const api = `${links.api}/repos/${repo.fullName}`;
  const kind = repo.pull(comment.issue) ? 'pull' : 'issues';
  return {
    id: comment.id,
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${links.origin}/${repo.fullName}/${kind}/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issue}`,
    body: comment.body,
    user: githubUser(comment.user, links),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: 'MEMBER',
  };
}

export function githubReview(
  repo: ForgeRepository,
  review: ForgeReview,
  links: GithubLinks,
) {
  return {
    id: review.id,
    user: githubUser(review.user, links),
    body: review.body,
    state: review.state,
    html_url: `${links.origin}/${repo.fullName}/pull/${review.pull}#pullrequestreview-${review.id}`,
    pull_request_url: `${links.api}/repos/${repo.fullName}/pulls/${review.pull}`,
    commit_id: review.commitId ?? null,
    submitted_at: review.state === 'PENDING' ? undefined : review.submittedAt,
    author_association: 'MEMBER',
  };
}

export function githubWorkflowRun(
  repo: ForgeRepository,
  run: ForgeWorkflowRun,
  links: GithubLinks,
) {
  return {
    id: run.id,
    name: run.name,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    run_number: run.id,
    run_attempt: run.runAttempt,
    event: 'push',
    status: run.status,
    conclusion: run.conclusion,
    url: `${links.api}/repos/${repo.fullName}/actions/runs/${run.id}`,
    html_url: `${links.origin}/${repo.fullName}/actions/runs/${run.id}`,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.updatedAt,
  };
}
