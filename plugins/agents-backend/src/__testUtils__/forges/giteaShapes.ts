import {
  ForgeComment,
  ForgeIssue,
  ForgeRepository,
  ForgeReview,
} from './ForgeRepositories';

function userId(login: string) {
  let id = 0;
  for (const char of login) {
    id = (id * 31 + char.charCodeAt(0)) % 100_000;
  }
  return id + 1;
}

export function giteaUser(login: string, origin: string) {
  return {
    id: userId(login),
    login,
    login_name: '',
    full_name: '',
    email: `${login}@noreply.localhost`,
    username: login,
    html_url: `${origin}/${login}`,
  };
}

export function giteaRepository(repo: ForgeRepository, origin: string) {
  return {
    id: repo.id,
    owner: giteaUser(repo.owner, origin),
    name: repo.name,
    full_name: repo.fullName,
    private: true,
    html_url: `${origin}/${repo.fullName}`,
    clone_url: `${origin}/${repo.fullName}.git`,
    default_branch: repo.defaultBranch,
  };
}

export function giteaPull(
  repo: ForgeRepository,
  issue: ForgeIssue,
  heads: Map<string, string>,
  origin: string,
) {
  const pull = issue.pull!;
  const htmlUrl = `${origin}/${repo.fullName}/pulls/${issue.number}`;
  const side = (ref: string) => ({
    label: ref,
    ref,
    sha: heads.get(ref) ?? '',
    repo_id: repo.id,
    repo: giteaRepository(repo, origin),
  });
  return {
    id: pull.id,
    url: htmlUrl,
    number: issue.number,
    user: giteaUser(issue.user, origin),
    title: issue.title,
    body: issue.body,
    labels: [],
    milestone: null,
    assignees: null,
    state: issue.state,
    is_locked: false,
    comments: repo.commentsOf(issue.number).length,
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    mergeable: true,
    merged: pull.merged,
    merged_at: null,
    merge_commit_sha: null,
    base: side(pull.base),
    head: side(pull.head),
    merge_base: heads.get(pull.base) ?? '',
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.state === 'closed' ? issue.updatedAt : null,
  };
}

export function giteaIssue(
  repo: ForgeRepository,
  issue: ForgeIssue,
  origin: string,
) {
  return {
    id: issue.id,
    url: `${origin}/api/v1/repos/${repo.fullName}/issues/${issue.number}`,
    html_url: `${origin}/${repo.fullName}/${issue.pull ? 'pulls' : 'issues'}/${
      issue.number
    }`,
    number: issue.number,
    user: giteaUser(issue.user, origin),
    title: issue.title,
    body: issue.body,
    state: issue.state,
    comments: repo.commentsOf(issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    pull_request: issue.pull ? { merged: issue.pull.merged } : null,
  };
}

export function giteaComment(
  repo: ForgeRepository,
  comment: ForgeComment,
  origin: string,
) {
  const issue = repo.issue(comment.issue)!;
  const issueUrl = `${origin}/${repo.fullName}/${
    issue.pull ? 'pulls' : 'issues'
  }/${issue.number}`;
  return {
    id: comment.id,
    html_url: `${issueUrl}#issuecomment-${comment.id}`,
    pull_request_url: issue.pull ? issueUrl : '',
    issue_url: issue.pull ? '' : issueUrl,
    user: giteaUser(comment.user, origin),
    original_author: '',
    original_author_id: 0,
    body: comment.body,
    assets: [],
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
  };
}

export function giteaReview(
  repo: ForgeRepository,
  review: ForgeReview,
  origin: string,
) {
  const pullUrl = `${origin}/${repo.fullName}/pulls/${review.pull}`;
  return {
    id: review.id,
    user: giteaUser(review.user, origin),
    team: null,
    state: review.state,
    body: review.body,
    commit_id: review.commitId ?? '',
    stale: false,
    official: false,
    dismissed: false,
    comments_count: 0,
    submitted_at: review.submittedAt,
    updated_at: review.submittedAt,
    html_url: `${pullUrl}#issuecomment-${review.id}`,
    pull_request_url: pullUrl,
  };
}
