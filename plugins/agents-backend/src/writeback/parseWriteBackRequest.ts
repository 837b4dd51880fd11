import { InputError } from '@backstage/errors';
import {
  branchNameProblem,
  REVIEW_EVENTS,
  WRITE_BACK_BODY_LIMIT,
  WRITE_BACK_OPERATIONS,
  WRITE_BACK_REQUEST_FIELDS,
  WriteBackOperation,
  WriteBackRequestBody,
} from '@krate/plugin-agents-common';

const NUMBER_OPERATIONS = new Set(['review', 'comment', 'issue-comment']);
const BODY_OPERATIONS = new Set(['review', 'comment', 'issue-comment']);

function optionalString(
  body: Record<string, unknown>,
  field: string,
  max: number,
): string | undefined {
  const value = body[field];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be a string`);
  }
  if (value.length > max) {
    throw new InputError(`${field}: must be at most ${max} characters`);
  }
  return value;
}

function positiveInteger(body: Record<string, unknown>, field: string) {
  const value = body[field];
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new InputError(`${field}: must be a positive integer`);
  }
  return value as number;
}

function branchField(body: Record<string, unknown>, field: string) {
  const value = optionalString(body, field, 200);
  if (value === undefined) {
    return undefined;
  }
  const problem = branchNameProblem(value);
  if (problem) {
    throw new InputError(
      `${field}: '${value}' is not a branch name: ${problem}`,
    );
  }
  return value;
}

/**
 * The body of `POST /artifacts/:artifact/write-back`, checked field by field; `defaults` fills
 * what the caller left out (the branch named after the run, the artifact's title).
 */
export function parseWriteBackRequest(
  raw: unknown,
  defaults: { branch: string; title: string },
): WriteBackRequestBody {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('body: must be a JSON object');
  }
  const body = raw as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!(WRITE_BACK_REQUEST_FIELDS as readonly string[]).includes(key)) {
      throw new InputError(`${key}: unknown field`);
    }
  }
  const target = body.target;
  if (typeof target !== 'string' || !/^[a-z][a-z0-9-]{0,62}$/.test(target)) {
    throw new InputError(
      'target: must name a write-back target, e.g. git or github',
    );
  }
  const operation = body.operation ?? 'branch';
  if (!(WRITE_BACK_OPERATIONS as readonly unknown[]).includes(operation)) {
    throw new InputError(
      `operation: must be one of ${WRITE_BACK_OPERATIONS.join(', ')}`,
    );
  }
  const kind = operation as WriteBackOperation['operation'];
  const text = optionalString(body, 'body', WRITE_BACK_BODY_LIMIT);
  const parsed: WriteBackOperation = { operation: kind };
  if (kind === 'branch' || kind === 'pull-request') {
    parsed.branch = branchField(body, 'branch') ?? defaults.branch;
  }
  if (kind === 'pull-request') {
    const base = branchField(body, 'base');
    if (base) parsed.base = base;
    parsed.title = optionalString(body, 'title', 256) ?? defaults.title;
    if (!parsed.title.trim()) {
      throw new InputError('title: must not be empty');
    }
    if (text !== undefined) parsed.body = text;
  }
  if (NUMBER_OPERATIONS.has(kind)) {
    const number = positiveInteger(body, 'number');
    if (number === undefined) {
      throw new InputError(
        `number: ${kind} needs the pull request or issue number`,
      );
    }
    parsed.number = number;
  }
  if (BODY_OPERATIONS.has(kind) && text !== undefined) {
    if (!text.trim()) {
      throw new InputError('body: must not be empty');
    }
    parsed.body = text;
  }
  if (kind === 'review') {
    const event = body.reviewEvent ?? 'COMMENT';
    if (!(REVIEW_EVENTS as readonly unknown[]).includes(event)) {
      throw new InputError(
        `reviewEvent: must be one of ${REVIEW_EVENTS.join(', ')}`,
      );
    }
    parsed.reviewEvent = event as WriteBackOperation['reviewEvent'];
  }
  if (kind === 'workflow-rerun') {
    const runId = positiveInteger(body, 'workflowRunId');
    if (runId === undefined) {
      throw new InputError(
        'workflowRunId: workflow-rerun needs the workflow run id',
      );
    }
    parsed.workflowRunId = runId;
  }
  for (const field of [
    'branch',
    'base',
    'title',
    'body',
    'number',
    'reviewEvent',
    'workflowRunId',
  ] as const) {
    if (body[field] !== undefined && parsed[field] === undefined) {
      throw new InputError(`${field}: not taken by operation ${kind}`);
    }
  }
  return { target, ...parsed };
}
