import { WriteBackOperation } from '@krate/plugin-agents-common';

/** The fields of a pull request the write-back reads. */
export interface ForgePullRequest {
  number: number;
  html_url: string;
  title: string;
  body: string | null;
  base: { ref: string };
}

/** The fields of a comment or review the write-back reads. */
export interface ForgeMarkedItem {
  id: number;
  html_url: string;
  body?: string | null;
}

/** What a write-back sets on a pull request. */
export interface ForgePullRequestText {
  title: string;
  body: string;
}

/** A review's verdict, as the request names it. */
export type ForgeReviewVerdict = NonNullable<WriteBackOperation['reviewEvent']>;

/**
 * The REST calls of a write-back on one repository of a forge. Lists come page by page, so a
 * search stops at the page that has what it looks for. Every failure comes out as a
 * `WriteBackError` that names the repository and what was being done.
 */
export interface ForgeRepositoryApi {
  /** `<owner>/<repo>`. */
  readonly fullName: string;

  defaultBranch(): Promise<string>;

  /** The open pull requests whose head is `branch` of this repository. */
  openPullRequestsOf(branch: string): AsyncIterable<ForgePullRequest[]>;

  /**
   * Opens a pull request of `branch` into `base`; `undefined` when the forge refuses because one
   * is open already for the branch (someone else created it since we looked).
   */
  createPullRequest(
    branch: string,
    base: string,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest | undefined>;

  updatePullRequest(
    number: number,
    text: ForgePullRequestText,
  ): Promise<ForgePullRequest>;

  /** The comments on issue or pull request `number`. */
  commentsOf(number: number): AsyncIterable<ForgeMarkedItem[]>;

  createComment(number: number, body: string): Promise<ForgeMarkedItem>;

  /** The reviews of pull request `number`. */
  reviewsOf(number: number): AsyncIterable<ForgeMarkedItem[]>;

  createReview(
    number: number,
    fields: { body: string; verdict: ForgeReviewVerdict },
  ): Promise<ForgeMarkedItem>;
}
