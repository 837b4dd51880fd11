import { ForgeApiRequest, ForgeApiResponse, ForgeRoute } from './forgeServer';
import {
  ForgeRepositories,
  ForgeRepository,
  forgeTimestamp,
} from './ForgeRepositories';
import {
  githubComment,
  githubIssue,
  GithubLinks,
  githubPull,
  githubRepository,
  githubReview,
  githubWorkflowRun,
} from './githubShapes';
import { githubPage } from './pagination';

const DOCS = 'https://docs.github.com/rest';

/** GitHub's 404 body. */
export const GITHUB_NOT_FOUND: ForgeApiResponse = {
  status: 404,
  body: { message: 'Not Found', documentation_url: DOCS },
};

function validationFailed(...errors: object[]): ForgeApiResponse {
  return {
    status: 422,
    body: { message: 'Validation Failed', errors, documentation_url: DOCS },
  };
}

function unprocessable(message: string): ForgeApiResponse {
  return {
    status: 422,
    body: {
      message: 'Unprocessable Entity',
      errors: [message],
      documentation_url: DOCS,
    },
  };
}

const REVIEW_STATES: Record<string, string> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

const LIVE_RUN_STATUSES = [
  'queued',
  'in_progress',
  'pending',
  'waiting',
  'requested',
];

/** The REST routes of the GitHub double (below `/api/v3`), over `repositories`. */
export function githubRoutes(repositories: ForgeRepositories): ForgeRoute[] {
  const links = (request: ForgeApiRequest): GithubLinks => ({
    origin: request.origin,
    api: `${request.origin}/api/v3`,
  });
  const route = (
    method: string,
    path: string,
    handle: (
      request: ForgeApiRequest,
      repo: ForgeRepository,
      params: string[],
    ) => ForgeApiResponse,
  ): ForgeRoute => ({
    method,
    pattern: new RegExp(`^/repos/([^/]+)/([^/]+)${path}$`),
    handle(request, [owner, name, ...params]) {
      const repo = repositories.find(owner, name);
      return repo ? handle(request, repo, params) : GITHUB_NOT_FOUND;
    },
  });
  const list = (items: unknown[], request: ForgeApiRequest) => {
    const page = githubPage(items, request.url);
    return { status: 200, body: page.items, headers: page.headers };
  };

  return [
    route('GET', '', (request, repo) => ({
      status: 200,
      body: githubRepository(repo, links(request)),
    })),

    route('GET', '/pulls', (request, repo) => {
      const state = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const heads = repo.branchHeads();
      const pulls = repo.pulls
        .filter(pull => state === 'all' || pull.state === state)
        .filter(
          pull =>
            !head ||
            `${repo.owner}:${pull.pull!.head}`.toLowerCase() ===
              head.toLowerCase(),
        )
        .filter(pull => !base || pull.pull!.base === base)
        .reverse()
        .map(pull => githubPull(repo, pull, heads, links(request)));
      return list(pulls, request);
    }),

    route('POST', '/pulls', (request, repo) => {
      const { title, body, base = repo.defaultBranch } = request.body ?? {};
      const head = String(request.body?.head ?? '').replace(
        new RegExp(`^${repo.owner}:`, 'i'),
        '',
      );
      if (!title) {
        return validationFailed({
          resource: 'PullRequest',
          code: 'missing_field',
          field: 'title',
        });
      }
      const heads = repo.branchHeads();
      for (const [field, ref] of [
        ['head', head],
        ['base', base],
      ]) {
        if (!heads.has(ref)) {
          return validationFailed({
            resource: 'PullRequest',
            field,
            code: 'invalid',
          });
        }
      }
      if (
        repo.pulls.some(
          pull =>
            pull.state === 'open' &&
            pull.pull!.head === head &&
            pull.pull!.base === base,
        )
      ) {
        return validationFailed({
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${repo.owner}:${head}.`,
        });
      }
      if (heads.get(head) === heads.get(base)) {
        return validationFailed({
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${head}`,
        });
      }
      const pull = repositories.addPullRequest(repo.fullName, {
        head,
        base,
        title,
        body: body ?? '',
        user: request.user,
      });
      return {
        status: 201,
        body: githubPull(repo, pull, heads, links(request)),
      };
    }),

    route('GET', '/pulls/(\\d+)', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      return pull
        ? {
            status: 200,
            body: githubPull(repo, pull, repo.branchHeads(), links(request)),
          }
        : GITHUB_NOT_FOUND;
    }),

    route('PATCH', '/pulls/(\\d+)', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      if (!pull) {
        return GITHUB_NOT_FOUND;
      }
      const { title, body, state, base } = request.body ?? {};
      if (title !== undefined) pull.title = title;
      if (body !== undefined) pull.body = body;
      if (state === 'open' || state === 'closed') pull.state = state;
      if (base !== undefined) pull.pull!.base = base;
      pull.updatedAt = forgeTimestamp();
      return {
        status: 200,
        body: githubPull(repo, pull, repo.branchHeads(), links(request)),
      };
    }),

    route('GET', '/pulls/(\\d+)/reviews', (request, repo, [number]) =>
      repo.pull(Number(number))
        ? list(
            repo
              .reviewsOf(Number(number))
              .map(review => githubReview(repo, review, links(request))),
            request,
          )
        : GITHUB_NOT_FOUND,
    ),

    route('POST', '/pulls/(\\d+)/reviews', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      if (!pull) {
        return GITHUB_NOT_FOUND;
      }
      const { body = '', event, commit_id: commitId } = request.body ?? {};
      if (event && !REVIEW_STATES[event]) {
        return unprocessable(`Unknown review event ${event}`);
      }
      if (
        (event === 'APPROVE' || event === 'REQUEST_CHANGES') &&
        pull.user === request.user
      ) {
        return unprocessable(
          event === 'APPROVE'
            ? 'Can not approve your own pull request'
            : 'Can not request changes on your own pull request',
        );
      }
      if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !body) {
        return unprocessable(`Body is required when using ${event} event`);
      }
      const review = repositories.addReview(repo.fullName, pull.number, {
        body,
        state: event ? REVIEW_STATES[event] : 'PENDING',
        user: request.user,
        commitId: commitId ?? repo.branchHeads().get(pull.pull!.head),
      });
      return { status: 200, body: githubReview(repo, review, links(request)) };
    }),

    route('GET', '/issues/(\\d+)', (request, repo, [number]) => {
      const issue = repo.issue(Number(number));
      return issue
        ? { status: 200, body: githubIssue(repo, issue, links(request)) }
        : GITHUB_NOT_FOUND;
    }),

    route('GET', '/issues/(\\d+)/comments', (request, repo, [number]) =>
      repo.issue(Number(number))
        ? list(
            repo
              .commentsOf(Number(number))
              .map(comment => githubComment(repo, comment, links(request))),
            request,
          )
        : GITHUB_NOT_FOUND,
    ),

    route('POST', '/issues/(\\d+)/comments', (request, repo, [number]) => {
      if (!repo.issue(Number(number))) {
        return GITHUB_NOT_FOUND;
      }
      if (!request.body?.body) {
        return validationFailed({
          resource: 'IssueComment',
          code: 'missing_field',
          field: 'body',
        });
      }
      const comment = repositories.addComment(repo.fullName, Number(number), {
        body: request.body.body,
        user: request.user,
      });
      return {
        status: 201,
        body: githubComment(repo, comment, links(request)),
      };
    }),

    route('GET', '/actions/runs/(\\d+)', (request, repo, [id]) => {
      const run = repo.workflowRuns.find(r => r.id === Number(id));
      return run
        ? { status: 200, body: githubWorkflowRun(repo, run, links(request)) }
        : GITHUB_NOT_FOUND;
    }),

    route('POST', '/actions/runs/(\\d+)/rerun', (_request, repo, [id]) => {
      const run = repo.workflowRuns.find(r => r.id === Number(id));
      if (!run) {
        return GITHUB_NOT_FOUND;
      }
      if (LIVE_RUN_STATUSES.includes(run.status)) {
        return {
          status: 403,
          body: {
            message: 'This workflow is already running',
            documentation_url: DOCS,
          },
        };
      }
      run.status = 'queued';
      run.conclusion = null;
      run.runAttempt += 1;
      run.updatedAt = forgeTimestamp();
      return { status: 201, body: {} };
    }),
  ];
}
