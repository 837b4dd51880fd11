import { ForgeApiRequest, ForgeApiResponse, ForgeRoute } from './forgeServer';
import {
  ForgeRepositories,
  ForgeRepository,
  forgeTimestamp,
} from './ForgeRepositories';
import {
  giteaComment,
  giteaIssue,
  giteaPull,
  giteaRepository,
  giteaReview,
} from './giteaShapes';
import { giteaPage } from './pagination';

/** Gitea's `APIError` body: a message and the swagger URL. */
export function giteaError(
  status: number,
  message: string,
  origin = '',
): ForgeApiResponse {
  return { status, body: { message, url: `${origin}/api/swagger` } };
}

/** Gitea's 404 body. */
export const GITEA_NOT_FOUND: ForgeApiResponse = {
  status: 404,
  body: {
    errors: [],
    message: "The target couldn't be found.",
    url: '/api/swagger',
  },
};

const REVIEW_EVENTS = ['APPROVED', 'REQUEST_CHANGES', 'COMMENT'];

/** The REST routes of the Gitea double (below `/api/v1`), over `repositories`. */
export function giteaRoutes(repositories: ForgeRepositories): ForgeRoute[] {
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
      return repo ? handle(request, repo, params) : GITEA_NOT_FOUND;
    },
  });

  return [
    route('GET', '', (request, repo) => ({
      status: 200,
      body: giteaRepository(repo, request.origin),
    })),

    route('GET', '/pulls', (request, repo) => {
      const state = request.query.get('state') ?? 'open';
      const heads = repo.branchHeads();
      const pulls = repo.pulls
        .filter(pull => state === 'all' || pull.state === state)
        .reverse()
        .map(pull => giteaPull(repo, pull, heads, request.origin));
      const page = giteaPage(pulls, request.url, { withLink: true });
      return { status: 200, body: page.items, headers: page.headers };
    }),

    route('POST', '/pulls', (request, repo) => {
      const { title, body = '', head, base } = request.body ?? {};
      if (!title) {
        return giteaError(422, '[Title]: Required', request.origin);
      }
      if (head === base) {
        return giteaError(
          422,
          'Invalid PullRequest: There are no changes between the head and the base',
          request.origin,
        );
      }
      const heads = repo.branchHeads();
      if (!heads.has(head) || !heads.has(base)) {
        return GITEA_NOT_FOUND;
      }
      const existing = repo.pulls.find(
        pull =>
          pull.state === 'open' &&
          pull.pull!.head === head &&
          pull.pull!.base === base,
      );
      if (existing) {
        return giteaError(
          409,
          `pull request already exists for these targets [id: ${
            existing.pull!.id
          }, ` +
            `issue_id: ${existing.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, ` +
            `head_branch: ${head}, base_branch: ${base}]`,
          request.origin,
        );
      }
      const pull = repositories.addPullRequest(repo.fullName, {
        head,
        base,
        title,
        body,
        user: request.user,
      });
      return {
        status: 201,
        body: giteaPull(repo, pull, heads, request.origin),
      };
    }),

    route('GET', '/pulls/(\\d+)', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      return pull
        ? {
            status: 200,
            body: giteaPull(repo, pull, repo.branchHeads(), request.origin),
          }
        : GITEA_NOT_FOUND;
    }),

    route('PATCH', '/pulls/(\\d+)', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      if (!pull) {
        return GITEA_NOT_FOUND;
      }
      const { title, body, state } = request.body ?? {};
      if (title) pull.title = title;
      if (body !== undefined) pull.body = body;
      if (state === 'open' || state === 'closed') pull.state = state;
      pull.updatedAt = forgeTimestamp();
      // Gitea answers an edit with 201 ("TODO this should be 200, not 201" in its source).
      return {
        status: 201,
        body: giteaPull(repo, pull, repo.branchHeads(), request.origin),
      };
    }),

    route('GET', '/pulls/(\\d+)/reviews', (request, repo, [number]) => {
      if (!repo.pull(Number(number))) {
        return GITEA_NOT_FOUND;
      }
      const reviews = repo
        .reviewsOf(Number(number))
        .map(review => giteaReview(repo, review, request.origin));
      const page = giteaPage(reviews, request.url, { withLink: false });
      return { status: 200, body: page.items, headers: page.headers };
    }),

    route('POST', '/pulls/(\\d+)/reviews', (request, repo, [number]) => {
      const pull = repo.pull(Number(number));
      if (!pull) {
        return GITEA_NOT_FOUND;
      }
      const { body = '', event, commit_id: commitId } = request.body ?? {};
      const own = pull.user === request.user;
      if (event === 'APPROVED' && own) {
        return giteaError(
          422,
          'approve your own pull is not allowed',
          request.origin,
        );
      }
      if (event === 'REQUEST_CHANGES' && own) {
        return giteaError(
          422,
          'reject your own pull is not allowed',
          request.origin,
        );
      }
      if (
        (event === 'REQUEST_CHANGES' || event === 'COMMENT') &&
        !body.trim()
      ) {
        return giteaError(
          422,
          `review event ${event} requires a body`,
          request.origin,
        );
      }
      const review = repositories.addReview(repo.fullName, pull.number, {
        body,
        state: REVIEW_EVENTS.includes(event) ? event : 'PENDING',
        user: request.user,
        commitId: commitId || repo.branchHeads().get(pull.pull!.head),
      });
      return { status: 200, body: giteaReview(repo, review, request.origin) };
    }),

    route('GET', '/issues/(\\d+)', (request, repo, [number]) => {
      const issue = repo.issue(Number(number));
      return issue
        ? { status: 200, body: giteaIssue(repo, issue, request.origin) }
        : GITEA_NOT_FOUND;
    }),

    // Gitea lists all comments of an issue at once: no page/limit, only X-Total-Count.
    route('GET', '/issues/(\\d+)/comments', (request, repo, [number]) => {
      if (!repo.issue(Number(number))) {
        return GITEA_NOT_FOUND;
      }
      const comments = repo
        .commentsOf(Number(number))
        .map(comment => giteaComment(repo, comment, request.origin));
      return {
        status: 200,
        body: comments,
        headers: { 'x-total-count': String(comments.length) },
      };
    }),

    route('POST', '/issues/(\\d+)/comments', (request, repo, [number]) => {
      if (!repo.issue(Number(number))) {
        return GITEA_NOT_FOUND;
      }
      if (!request.body?.body) {
        return giteaError(422, '[Body]: Required', request.origin);
      }
      const comment = repositories.addComment(repo.fullName, Number(number), {
        body: request.body.body,
        user: request.user,
      });
      return { status: 201, body: giteaComment(repo, comment, request.origin) };
    }),
  ];
}
