/**
 * What a write-back does on its target:
 * - `branch`: push the artifact's commit to a branch of the repository's remote;
 * - `pull-request`: push the branch, then create (or update) the pull request for it;
 * - `review`: post a pull request review (`number` is the pull request);
 * - `comment`: comment on a pull request (`number`);
 * - `issue-comment`: comment on an issue (`number`);
 * - `workflow-rerun`: re-run a workflow run (`workflowRunId`).
 * @public
 */
export const WRITE_BACK_OPERATIONS = [
  'branch',
  'pull-request',
  'review',
  'comment',
  'issue-comment',
  'workflow-rerun',
] as const;

/** @public */
export type WriteBackOperationKind = (typeof WRITE_BACK_OPERATIONS)[number];

/** The review verdicts a `review` write-back may post. @public */
export const REVIEW_EVENTS = ['COMMENT', 'REQUEST_CHANGES', 'APPROVE'] as const;

/**
 * The exact operation a write-back performs. An approval is bound to it: the same artifact
 * written to another branch or with another body is another operation.
 * @public
 */
export interface WriteBackOperation {
  operation: WriteBackOperationKind;
  /** `branch`, `pull-request`: the branch pushed to. */
  branch?: string;
  /** `pull-request`: the branch it merges into (default: the repository's default branch). */
  base?: string;
  /** `pull-request`: its title. */
  title?: string;
  /** `pull-request` description; `review`, `comment`, `issue-comment` text. */
  body?: string;
  /** `review`, `comment`: the pull request; `issue-comment`: the issue. */
  number?: number;
  /** `review`: the verdict (default COMMENT). */
  reviewEvent?: (typeof REVIEW_EVENTS)[number];
  /** `workflow-rerun`: the workflow run. */
  workflowRunId?: number;
}

/**
 * The body of `POST /api/agents/artifacts/:artifact/write-back`: the registered target (`git`,
 * `github`, `gitea`, …) and the operation on it.
 * @public
 */
export interface WriteBackRequestBody extends WriteBackOperation {
  target: string;
}

/** The fields of {@link WriteBackRequestBody}, as the API checks them. @public */
export const WRITE_BACK_REQUEST_FIELDS = [
  'target',
  'operation',
  'branch',
  'base',
  'title',
  'body',
  'number',
  'reviewEvent',
  'workflowRunId',
] as const satisfies readonly (keyof WriteBackRequestBody)[];

/** The largest comment, review or pull request body a write-back posts, in characters. @public */
export const WRITE_BACK_BODY_LIMIT = 65536;

/**
 * The answer of `POST /api/agents/artifacts/:artifact/write-back`: the write-back, and the
 * approval it waits on when the stack's policy asks for one.
 * @public
 */
export interface WriteBackRequestResponse {
  writeBack: WriteBackRecord;
  approval?: string;
}

/** States of one write-back operation. @public */
export const WRITE_BACK_STATES = [
  'awaiting-approval',
  'approved',
  'applying',
  'applied',
  'failed',
  'rejected',
  'void',
] as const;

/** @public */
export type WriteBackState = (typeof WRITE_BACK_STATES)[number];

/**
 * What a target wrote: a pushed branch (`ref` the commit), a pull request, a comment or a review.
 * @public
 */
export interface WriteBackResult {
  target: string;
  operation: WriteBackOperationKind;
  /** A commit SHA, branch name, pull request or comment id. */
  ref?: string;
  /** Where a person sees it (the pull request, the comment). */
  url?: string;
  /** The remote a branch was pushed to (credentials never included). */
  remote?: string;
}

/**
 * One write-back operation of an artifact, keyed on (run, artifact digest, target operation):
 * the same request twice is the same record, and it is written to the outside world once.
 * @public
 */
export interface WriteBackRecord {
  key: string;
  namespace: string;
  artifact: string;
  run: string;
  digest: string;
  target: string;
  operation: WriteBackOperation;
  state: WriteBackState;
  approval?: string;
  requestedBy: string;
  results?: WriteBackResult[];
  /** Why it failed, was refused or voided. */
  message?: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A target as `GET /api/agents/artifacts/:artifact/targets` lists it for the artifact's
 * repository: whether it can write there, and why not.
 * @public
 */
export interface WriteBackTargetChoice {
  target: string;
  displayName: string;
  operations: WriteBackOperationKind[];
  available: boolean;
  /** Why it is not available, e.g. which integration to configure. */
  reason?: string;
}

/**
 * Whether `name` is a branch name a write-back may push to: what `git check-ref-format --branch`
 * accepts, without a leading `-`, at most 200 characters. Answers the reason it is not.
 * @public
 */
export function branchNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 200) {
    return 'must be 1 to 200 characters';
  }
  if (name.startsWith('-')) {
    return "must not start with '-'";
  }
  if (name.includes('..')) {
    return "must not contain '..'";
  }
  if (name.includes('@{') || name === '@') {
    return "must not contain '@{' or be '@'";
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) {
    return 'must not contain spaces, control characters or any of ~^:?*[\\';
  }
  if (
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.includes('//') ||
    name.endsWith('.')
  ) {
    return "must not start or end with '/', contain '//' or end with '.'";
  }
  if (
    name.split('/').some(part => part.startsWith('.') || part.endsWith('.lock'))
  ) {
    return "no part may start with '.' or end with '.lock'";
  }
  return undefined;
}
