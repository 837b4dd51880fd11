import {
  branchNameProblem,
  REVIEW_EVENTS,
  WRITE_BACK_BODY_LIMIT,
  WriteBackOperationKind,
  WriteBackRequestBody,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';

/** The write-back dialog's fields, as typed. */
export interface WriteBackForm {
  target: string;
  operation?: WriteBackOperationKind;
  branch: string;
  base: string;
  title: string;
  body: string;
  number: string;
  reviewEvent: (typeof REVIEW_EVENTS)[number];
  workflowRunId: string;
}

export type WriteBackField = Exclude<
  keyof WriteBackForm,
  'target' | 'operation'
>;

/** The fields each operation takes, in the order the dialog shows them. */
export const OPERATION_FIELDS: Record<
  WriteBackOperationKind,
  WriteBackField[]
> = {
  branch: ['branch'],
  'pull-request': ['branch', 'base', 'title', 'body'],
  review: ['number', 'reviewEvent', 'body'],
  comment: ['number', 'body'],
  'issue-comment': ['number', 'body'],
  'workflow-rerun': ['workflowRunId'],
};

/** How the dialog names each operation. */
export const OPERATION_LABELS: Record<WriteBackOperationKind, string> = {
  branch: 'Push a branch',
  'pull-request': 'Open a pull request',
  review: 'Review a pull request',
  comment: 'Comment on a pull request',
  'issue-comment': 'Comment on an issue',
  'workflow-rerun': 'Re-run a workflow',
};

/** The form as it opens: branch `agents/<run>`, title the artifact's. */
export function initialWriteBackForm(
  run: string,
  artifactTitle: string,
): WriteBackForm {
  return {
    target: '',
    branch: `agents/${run}`,
    base: '',
    title: artifactTitle,
    body: '',
    number: '',
    reviewEvent: 'COMMENT',
    workflowRunId: '',
  };
}

/**
 * The form moved to another target and an operation it offers. Without a `target`, the first
 * available one that opens pull requests (what most write-backs are), else the first available.
 */
export function chooseTarget(
  form: WriteBackForm,
  targets: WriteBackTargetChoice[],
  target?: string,
): WriteBackForm {
  const choice =
    targets.find(t => t.target === target) ??
    targets.find(t => t.available && t.operations.includes('pull-request')) ??
    targets.find(t => t.available);
  if (!choice) return { ...form, target: '', operation: undefined };
  let operation = form.operation;
  if (!operation || !choice.operations.includes(operation)) {
    operation = choice.operations.includes('pull-request')
      ? 'pull-request'
      : choice.operations[0];
  }
  return { ...form, target: choice.target, operation };
}

const positiveInteger = (value: string) => /^[1-9][0-9]*$/.test(value.trim());

/** What is wrong with the form before anything is sent, by field. */
export function writeBackProblems(
  form: WriteBackForm,
): Partial<Record<keyof WriteBackForm, string>> {
  const problems: Partial<Record<keyof WriteBackForm, string>> = {};
  if (!form.target) problems.target = 'Choose a target';
  if (!form.operation) {
    problems.operation = 'Choose an operation';
    return problems;
  }
  const fields = OPERATION_FIELDS[form.operation];
  if (fields.includes('branch')) {
    const problem = branchNameProblem(form.branch);
    if (problem) problems.branch = `The branch ${problem}`;
  }
  if (fields.includes('base') && form.base !== '') {
    const problem = branchNameProblem(form.base);
    if (problem) problems.base = `The base ${problem}`;
  }
  if (fields.includes('title') && form.title.trim() === '') {
    problems.title = 'A pull request needs a title';
  }
  if (fields.includes('body') && form.body.length > WRITE_BACK_BODY_LIMIT) {
    problems.body = `At most ${WRITE_BACK_BODY_LIMIT} characters`;
  }
  if (fields.includes('number') && !positiveInteger(form.number)) {
    problems.number =
      form.operation === 'issue-comment'
        ? 'The issue number'
        : 'The pull request number';
  }
  if (
    fields.includes('workflowRunId') &&
    !positiveInteger(form.workflowRunId)
  ) {
    problems.workflowRunId = 'The workflow run id';
  }
  return problems;
}

/**
 * The request body of a valid form: the operation's fields only, empty optional ones left out,
 * the branch exactly as validated.
 */
export function writeBackRequestOf(form: WriteBackForm): WriteBackRequestBody {
  const operation = form.operation!;
  const fields = OPERATION_FIELDS[operation];
  const body: WriteBackRequestBody = { target: form.target, operation };
  if (fields.includes('branch')) body.branch = form.branch;
  if (fields.includes('base') && form.base !== '') body.base = form.base;
  if (fields.includes('title')) body.title = form.title.trim();
  if (fields.includes('body') && form.body.trim() !== '') body.body = form.body;
  if (fields.includes('number')) body.number = Number(form.number.trim());
  if (fields.includes('reviewEvent')) body.reviewEvent = form.reviewEvent;
  if (fields.includes('workflowRunId')) {
    body.workflowRunId = Number(form.workflowRunId.trim());
  }
  return body;
}
