import { Octokit } from '@octokit/rest';
import {
  ForgeMarkedItem,
  ForgePullRequest,
  ForgePullRequestText,
  ForgeRepositoryApi,
  ForgeReviewVerdict,
} from '../forge/ForgeRepositoryApi';
import {
  githubErrorDetail,
  githubWriteBackError,
} from './githubWriteBackError';

/** The fields of a workflow run the write-back reads. */
export interface GithubWorkflowRun {
  id: number;
  html_url: string;
  status: string | null;
}

const PAGE_SIZE = 100;

/** Whether Octokit threw GitHub's answer `status` with a detail matching `pattern`. */
function refusal(error: unknown, status: number, pattern: RegExp) {
  const failure = error as { status?: number; response?: { data?: unknown } };
  return (
    failure?.status === status &&
    pattern.test(githubErrorDetail(failure.response?.data) ?? '')
  );
}

/**
 * The GitHub REST calls of a write-back on one repository, through Octokit, with the pages Octokit
 * follows by `Link`. Every failure comes out as a `WriteBackError` that names the repository and
 * what was being done.
 */
export class GithubRepositoryApi implements ForgeRepositoryApi {
  readonly #octokit: Octokit;
  readonly #owner: string;
  readonly #repo: string;
  readonly #token?: string;

  constructor(options: {
    octokit: Octokit;
    owner: string;
    repo: string;
    token?: string;
  }) {
    this.#octokit = options.octokit;
    this.#owner = options.owner;
    this.#repo = options.repo;
    this.#token = options.token;
  }

  get fullName() {
    return `${this.#owner}/${this.#repo}`;
  }

  #failure(error: unknown, what: string) {
    if ((error as Error)?.name === 'AbortError') {
      return error;
    }
    return githubWriteBackError(error, {
      repository: this.fullName,
      what,
      secrets: [this.#token],
    });
  }

  async #call<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.#failure(error, what);
    }
  }

  async *#pages<T>(
    what: string,
    responses: AsyncIterable<{ data: T[] }>,
  ): AsyncGenerator<T[]> {
    try {
      for await (const { data } of responses) {
        yield data;
      }
    } catch (error) {
      throw this.#failure(error, what);
    }
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.#call('repository', () =>
      this.#octokit.rest.repos.get({ owner: this.#owner, repo: this.#repo }),
    );
    return data.default_branch;
  }

  async *openPullRequestsOf(
    branch: string,
  ): AsyncGenerator<ForgePullRequest[]> {
    const pages = this.#pages(
      `open pull requests of branch ${branch}`,
      this.#octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls', {
        owner: this.#owner,
        repo: this.#repo,
        state: 'open',
        head: `${this.#owner}:${branch}`,
        per_page: PAGE_SIZE,
      }),
    );
    for await (const pulls of pages) {
      yield pulls.filter(pull => pull.head.ref === branch);
    }
  }

  /**
   * Opens a pull request; `undefined` when GitHub refuses with 422 because one is open already
   * for the branch (someone else created it since we looked).
   */
  async createPullRequest(
    branch: string,
    base: string,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest | undefined> {
    return this.#call(
      `pull request of branch ${branch} into ${base}`,
      async () => {
        try {
          const { data } = await this.#octokit.rest.pulls.create({
            owner: this.#owner,
            repo: this.#repo,
            ...text,
            head: branch,
            base,
          });
          return data;
        } catch (error) {
          if (refusal(error, 422, /already exists/i)) {
            return undefined;
          }
          throw error;
        }
      },
    );
  }

  async updatePullRequest(
    number: number,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest> {
    const { data } = await this.#call(`pull request #${number}`, () =>
      this.#octokit.rest.pulls.update({
        owner: this.#owner,
        repo: this.#repo,
        pull_number: number,
        ...text,
      }),
    );
    return data;
  }

  commentsOf(number: number): AsyncGenerator<ForgeMarkedItem[]> {
    return this.#pages(
      `comments of #${number}`,
      this.#octokit.paginate.iterator(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        {
          owner: this.#owner,
          repo: this.#repo,
          issue_number: number,
          per_page: PAGE_SIZE,
        },
      ),
    );
  }

  async createComment(number: number, body: string): Promise<ForgeMarkedItem> {
    const { data } = await this.#call(`comment on #${number}`, () =>
      this.#octokit.rest.issues.createComment({
        owner: this.#owner,
        repo: this.#repo,
        issue_number: number,
        body,
      }),
    );
    return data;
  }

  reviewsOf(number: number): AsyncGenerator<ForgeMarkedItem[]> {
    return this.#pages(
      `reviews of pull request #${number}`,
      this.#octokit.paginate.iterator(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
        {
          owner: this.#owner,
          repo: this.#repo,
          pull_number: number,
          per_page: PAGE_SIZE,
        },
      ),
    );
  }

  async createReview(
    number: number,
    fields: { body: string; verdict: ForgeReviewVerdict },
  ): Promise<ForgeMarkedItem> {
    const { data } = await this.#call(`review of pull request #${number}`, () =>
      this.#octokit.rest.pulls.createReview({
        owner: this.#owner,
        repo: this.#repo,
        pull_number: number,
        body: fields.body,
        event: fields.verdict,
      }),
    );
    return data;
  }

  async getWorkflowRun(id: number): Promise<GithubWorkflowRun> {
    const { data } = await this.#call(`workflow run ${id}`, () =>
      this.#octokit.rest.actions.getWorkflowRun({
        owner: this.#owner,
        repo: this.#repo,
        run_id: id,
      }),
    );
    return data;
  }

  /** Re-runs a workflow run; `false` when GitHub refuses because it is running already. */
  async rerunWorkflowRun(id: number): Promise<boolean> {
    return this.#call(`re-run of workflow run ${id}`, async () => {
      try {
        await this.#octokit.rest.actions.reRunWorkflow({
          owner: this.#owner,
          repo: this.#repo,
          run_id: id,
        });
        return true;
      } catch (error) {
        if (refusal(error, 403, /already running/i)) {
          return false;
        }
        throw error;
      }
    });
  }
}
