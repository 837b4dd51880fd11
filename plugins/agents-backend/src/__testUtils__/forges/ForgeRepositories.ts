import path from 'node:path';
import { createBareRepository, readBranchHeads } from './bareRepository';

/** An issue or, with `pull`, a pull request: they share one number sequence, as on the forges. */
export interface ForgeIssue {
  id: number;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  user: string;
  createdAt: string;
  updatedAt: string;
  pull?: { id: number; head: string; base: string; merged: boolean };
}

/** A comment on an issue or pull request. */
export interface ForgeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

/** A pull request review; `state` is the forge's own word (`COMMENTED`, `APPROVED`, …). */
export interface ForgeReview {
  id: number;
  pull: number;
  body: string;
  state: string;
  user: string;
  commitId?: string;
  submittedAt: string;
}

/** A GitHub Actions workflow run. */
export interface ForgeWorkflowRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  runAttempt: number;
  headBranch: string;
  headSha: string;
  createdAt: string;
  updatedAt: string;
}

/** One repository of a forge double: its issues, pulls, comments, reviews and runs. */
export class ForgeRepository {
  readonly issues: ForgeIssue[] = [];
  readonly comments: ForgeComment[] = [];
  readonly reviews: ForgeReview[] = [];
  readonly workflowRuns: ForgeWorkflowRun[] = [];

  constructor(
    readonly id: number,
    readonly owner: string,
    readonly name: string,
    readonly defaultBranch: string,
    /** The bare repository served over smart HTTP at `/<owner>/<name>.git`. */
    readonly gitDir: string,
  ) {}

  get fullName() {
    return `${this.owner}/${this.name}`;
  }

  get pulls(): ForgeIssue[] {
    return this.issues.filter(issue => issue.pull);
  }

  issue(number: number): ForgeIssue | undefined {
    return this.issues.find(issue => issue.number === number);
  }

  pull(number: number): ForgeIssue | undefined {
    const issue = this.issue(number);
    return issue?.pull ? issue : undefined;
  }

  commentsOf(number: number): ForgeComment[] {
    return this.comments.filter(comment => comment.issue === number);
  }

  reviewsOf(number: number): ForgeReview[] {
    return this.reviews.filter(review => review.pull === number);
  }

  /** Branch → commit, read from the served bare repository. */
  branchHeads(): Map<string, string> {
    return readBranchHeads(this.gitDir);
  }
}

/** A forge timestamp: ISO 8601 in seconds, like `2024-05-01T10:00:00Z`. */
export function forgeTimestamp(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The in-memory state of a forge double: repositories with their bare git repositories under
 * `gitRoot`, and the id sequences. Tests seed it (another user's comment, an earlier pull
 * request) and read it back to count what was written.
 */
export class ForgeRepositories {
  readonly #gitRoot: string;
  readonly #repositories = new Map<string, ForgeRepository>();
  #lastId = 1000;

  constructor(gitRoot: string, readonly defaultUser: string) {
    this.#gitRoot = gitRoot;
  }

  nextId() {
    this.#lastId += 1;
    return this.#lastId;
  }

  /**
   * Adds `owner/name` with a bare repository: a clone of `source` (a local repository) when
   * given, else empty.
   */
  add(
    fullName: string,
    options: { defaultBranch?: string; source?: string } = {},
  ): ForgeRepository {
    const [owner, name] = fullName.split('/');
    const defaultBranch = options.defaultBranch ?? 'main';
    const gitDir = path.join(this.#gitRoot, owner, `${name}.git`);
    createBareRepository(gitDir, { defaultBranch, source: options.source });
    const repository = new ForgeRepository(
      this.nextId(),
      owner,
      name,
      defaultBranch,
      gitDir,
    );
    this.#repositories.set(fullName.toLowerCase(), repository);
    return repository;
  }

  find(owner: string, name: string): ForgeRepository | undefined {
    return this.#repositories.get(`${owner}/${name}`.toLowerCase());
  }

  get(fullName: string): ForgeRepository {
    const repository = this.#repositories.get(fullName.toLowerCase());
    if (!repository) {
      throw new Error(`No repository ${fullName} on this forge double`);
    }
    return repository;
  }

  addIssue(
    fullName: string,
    fields: { title: string; body?: string; user?: string },
  ): ForgeIssue {
    const repository = this.get(fullName);
    const now = forgeTimestamp();
    const issue: ForgeIssue = {
      id: this.nextId(),
      number: repository.issues.length + 1,
      title: fields.title,
      body: fields.body ?? '',
      state: 'open',
      user: fields.user ?? this.defaultUser,
      createdAt: now,
      updatedAt: now,
    };
    repository.issues.push(issue);
    return issue;
  }

  /** Opens a pull request without the checks of the API: what another client did earlier. */
  addPullRequest(
    fullName: string,
    fields: {
      head: string;
      base?: string;
      title: string;
      body?: string;
      user?: string;
    },
  ): ForgeIssue {
    const issue = this.addIssue(fullName, fields);
    issue.pull = {
      id: this.nextId(),
      head: fields.head,
      base: fields.base ?? this.get(fullName).defaultBranch,
      merged: false,
    };
    return issue;
  }

  addComment(
    fullName: string,
    number: number,
    fields: { body: string; user?: string },
  ): ForgeComment {
    const now = forgeTimestamp();
    const comment: ForgeComment = {
      id: this.nextId(),
      issue: number,
      body: fields.body,
      user: fields.user ?? this.defaultUser,
      createdAt: now,
      updatedAt: now,
    };
    this.get(fullName).comments.push(comment);
    return comment;
  }

  addReview(
    fullName: string,
    pull: number,
    fields: { body: string; state: string; user?: string; commitId?: string },
  ): ForgeReview {
    const review: ForgeReview = {
      id: this.nextId(),
      pull,
      body: fields.body,
      state: fields.state,
      user: fields.user ?? this.defaultUser,
      commitId: fields.commitId,
      submittedAt: forgeTimestamp(),
    };
    this.get(fullName).reviews.push(review);
    return review;
  }

  addWorkflowRun(
    fullName: string,
    fields: Partial<Omit<ForgeWorkflowRun, 'id'>> = {},
  ): ForgeWorkflowRun {
    const repository = this.get(fullName);
    const now = forgeTimestamp();
    const run: ForgeWorkflowRun = {
      id: this.nextId(),
      name: 'CI',
      status: 'completed',
      conclusion: 'failure',
      runAttempt: 1,
      headBranch: repository.defaultBranch,
      headSha: repository.branchHeads().get(repository.defaultBranch) ?? '',
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    repository.workflowRuns.push(run);
    return run;
  }
}
