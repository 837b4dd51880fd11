import { WriteBackError } from '@krate/plugin-agents-node';
import {
  ForgeMarkedItem,
  ForgePullRequest,
  ForgePullRequestText,
  ForgeRepositoryApi,
  ForgeReviewVerdict,
} from '../forge/ForgeRepositoryApi';
import { giteaWriteBackError } from './giteaWriteBackError';

/** The fields of a Gitea pull request the write-back reads. */
interface GiteaPullRequest extends ForgePullRequest {
  id: number;
  head: { ref: string; repo?: { full_name: string } | null };
}

/** Gitea names the approving verdict `APPROVED` where GitHub (and the request) say `APPROVE`. */
const GITEA_VERDICTS = {
  COMMENT: 'COMMENT',
  REQUEST_CHANGES: 'REQUEST_CHANGES',
  APPROVE: 'APPROVED',
} as const;

/** Gitea's largest page (`MAX_RESPONSE_ITEMS`, 50 by default). */
const PAGE_SIZE = 50;

/**
 * The Gitea REST API v1 calls of a write-back on one repository, with `fetch`. Every failure
 * comes out as a `WriteBackError` that names the repository and what was being done; nothing in
 * `secrets` ever reaches a message.
 */
export class GiteaRepositoryApi implements ForgeRepositoryApi {
  readonly #apiBaseUrl: string;
  readonly #owner: string;
  readonly #repo: string;
  readonly #headers: Record<string, string>;
  readonly #signal: AbortSignal;
  readonly #secrets: string[];

  constructor(options: {
    apiBaseUrl: string;
    owner: string;
    repo: string;
    headers: Record<string, string>;
    signal: AbortSignal;
    secrets: (string | undefined)[];
  }) {
    this.#apiBaseUrl = options.apiBaseUrl;
    this.#owner = options.owner;
    this.#repo = options.repo;
    this.#headers = options.headers;
    this.#signal = options.signal;
    this.#secrets = options.secrets.filter((s): s is string => Boolean(s));
  }

  get fullName() {
    return `${this.#owner}/${this.#repo}`;
  }

  #scrub(text: string) {
    return this.#secrets.reduce(
      (clean, secret) => clean.split(secret).join('***'),
      text,
    );
  }

  /**
   * One request to `/repos/<owner>/<repo><path>`. Answers with a status in `tolerate` come back
   * as they are (`data` undefined); other failures throw.
   */
  async #send<T>(
    method: string,
    path: string,
    what: string,
    options: { body?: unknown; tolerate?: number[] } = {},
  ): Promise<{ status: number; data: T; headers: Headers }> {
    const url = `${this.#apiBaseUrl}/repos/${encodeURIComponent(
      this.#owner,
    )}/${encodeURIComponent(this.#repo)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...this.#headers,
          accept: 'application/json',
          ...(options.body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        },
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: this.#signal,
      });
    } catch (error) {
      if (this.#signal.aborted) {
        throw error;
      }
      const cause = (error as { cause?: { code?: string; message?: string } })
        ?.cause;
      throw new WriteBackError(
        this.#scrub(
          `Could not reach Gitea for ${this.fullName} ${what}: ${
            (error as Error)?.message ?? error
          }${cause?.code ? ` (${cause.code})` : ''}`,
        ),
        { retryable: true },
      );
    }
    const text = await response.text();
    let data: any;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (response.ok || options.tolerate?.includes(response.status)) {
      return {
        status: response.status,
        data: response.ok ? data : undefined,
        headers: response.headers,
      };
    }
    throw giteaWriteBackError({
      status: response.status,
      headers: response.headers,
      detail:
        typeof data?.message === 'string' && data.message
          ? this.#scrub(data.message)
          : undefined,
      repository: this.fullName,
      what,
    });
  }

  /**
   * The pages of a list, `PAGE_SIZE` at a time. Gitea pages some lists with `Link`, others only
   * with `X-Total-Count`, and answers some (an issue's comments) whole whatever `page` says: it
   * stops at the last `Link`, at the total, or on a page that brings nothing new.
   */
  async *#pages<T extends { id: number }>(
    path: string,
    what: string,
  ): AsyncGenerator<T[]> {
    const seen = new Set<number>();
    for (let page = 1; ; page += 1) {
      const separator = path.includes('?') ? '&' : '?';
      const { data, headers } = await this.#send<T[]>(
        'GET',
        `${path}${separator}page=${page}&limit=${PAGE_SIZE}`,
        what,
      );
      const items = Array.isArray(data) ? data : [];
      const fresh = items.filter(item => !seen.has(item.id));
      fresh.forEach(item => seen.add(item.id));
      if (fresh.length > 0) {
        yield fresh;
      }
      const total = headers.get('x-total-count');
      const link = headers.get('link');
      if (
        fresh.length === 0 ||
        (total !== null && seen.size >= Number(total)) ||
        (link !== null && !/rel="next"/.test(link)) ||
        (total === null && link === null && items.length < PAGE_SIZE)
      ) {
        return;
      }
    }
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.#send<{ default_branch: string }>(
      'GET',
      '',
      'repository',
    );
    return data.default_branch;
  }

  async *openPullRequestsOf(
    branch: string,
  ): AsyncGenerator<ForgePullRequest[]> {
    const pages = this.#pages<GiteaPullRequest>(
      '/pulls?state=open',
      `open pull requests of branch ${branch}`,
    );
    for await (const pulls of pages) {
      yield pulls.filter(
        pull =>
          pull.head.ref === branch &&
          (!pull.head.repo ||
            pull.head.repo.full_name.toLowerCase() ===
              this.fullName.toLowerCase()),
      );
    }
  }

  /**
   * Opens a pull request; `undefined` when Gitea answers 409 because one is open already for
   * these branches (someone else created it since we looked).
   */
  async createPullRequest(
    branch: string,
    base: string,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest | undefined> {
    const { status, data } = await this.#send<ForgePullRequest>(
      'POST',
      '/pulls',
      `pull request of branch ${branch} into ${base}`,
      { body: { ...text, head: branch, base }, tolerate: [409] },
    );
    return status === 409 ? undefined : data;
  }

  async updatePullRequest(
    number: number,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest> {
    const { data } = await this.#send<ForgePullRequest>(
      'PATCH',
      `/pulls/${number}`,
      `pull request #${number}`,
      { body: text },
    );
    return data;
  }

  commentsOf(number: number): AsyncGenerator<ForgeMarkedItem[]> {
    return this.#pages<ForgeMarkedItem>(
      `/issues/${number}/comments`,
      `comments of #${number}`,
    );
  }

  async createComment(number: number, body: string): Promise<ForgeMarkedItem> {
    const { data } = await this.#send<ForgeMarkedItem>(
      'POST',
      `/issues/${number}/comments`,
      `comment on #${number}`,
      { body: { body } },
    );
    return data;
  }

  reviewsOf(number: number): AsyncGenerator<ForgeMarkedItem[]> {
    return this.#pages<ForgeMarkedItem>(
      `/pulls/${number}/reviews`,
      `reviews of pull request #${number}`,
    );
  }

  async createReview(
    number: number,
    fields: { body: string; verdict: ForgeReviewVerdict },
  ): Promise<ForgeMarkedItem> {
    const { data } = await this.#send<ForgeMarkedItem>(
      'POST',
      `/pulls/${number}/reviews`,
      `review of pull request #${number}`,
      { body: { body: fields.body, event: GITEA_VERDICTS[fields.verdict] } },
    );
    return data;
  }
}
