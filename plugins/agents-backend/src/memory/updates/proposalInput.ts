import { InputError } from '@backstage/errors';
import { DNS_LABEL_PATTERN } from '@krate/plugin-agents-common';
import { FileChange } from './MemoryPlumbing';

/** What a person proposes: whole files, or a git patch against a base commit. */
export interface ProposalInput {
  org: string;
  title: string;
  description?: string;
  baseCommit?: string;
  patch?: string;
  changes?: FileChange[];
}

export type ReviewDecision = 'approve' | 'reject';

const PROPOSAL_FIELDS = new Set([
  'org',
  'title',
  'description',
  'baseCommit',
  'patch',
  'changes',
]);
const CHANGE_FIELDS = new Set(['path', 'content']);
const REVIEW_FIELDS = new Set(['decision', 'comment']);
const NAME = new RegExp(DNS_LABEL_PATTERN);
const COMMIT = /^[0-9a-f]{40}$/;
export const MAX_PATCH_BYTES = 1024 * 1024;
const MAX_CHANGES = 500;
const MAX_PATH = 1024;

function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${field}: must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(
  input: Record<string, unknown>,
  known: Set<string>,
  prefix = '',
) {
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new InputError(`${prefix}${key}: unknown field`);
  }
}

function text(
  value: unknown,
  field: string,
  limits: { min?: number; max: number },
): string {
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be a string`);
  }
  if (value.length < (limits.min ?? 0)) {
    throw new InputError(`${field}: must not be empty`);
  }
  if (value.length > limits.max) {
    throw new InputError(`${field}: must be at most ${limits.max} characters`);
  }
  return value;
}

/** An org (namespace) name, as the routes and proposals take it. */
export function checkOrg(value: unknown, field = 'org'): string {
  if (typeof value !== 'string' || value.length > 63 || !NAME.test(value)) {
    throw new InputError(
      `${field}: must be an org (namespace) name, a lower-case DNS label`,
    );
  }
  return value;
}

/**
 * A file of the memory repository a proposal may write: relative, inside the repository, not in
 * `.git`, without `.`/`..` or empty segments, backslashes, NUL or line breaks.
 */
export function checkMemoryPath(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: must be a non-empty path`);
  }
  if (value.length > MAX_PATH) {
    throw new InputError(`${field}: must be at most ${MAX_PATH} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) {
    throw new InputError(
      `${field}: '${value}' must not contain control characters or backslashes`,
    );
  }
  if (value.startsWith('/')) {
    throw new InputError(
      `${field}: '${value}' must be relative to the repository`,
    );
  }
  const segments = value.split('/');
  if (segments.some(segment => ['', '.', '..'].includes(segment))) {
    throw new InputError(
      `${field}: '${value}' must stay inside the repository, without empty, '.' or '..' segments`,
    );
  }
  if (segments.some(segment => segment.toLowerCase() === '.git')) {
    throw new InputError(`${field}: '${value}' must not be inside .git`);
  }
  return value;
}

function changesOf(value: unknown): FileChange[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError('changes: must be a non-empty array of files');
  }
  if (value.length > MAX_CHANGES) {
    throw new InputError(`changes: at most ${MAX_CHANGES} files`);
  }
  const seen = new Set<string>();
  return value.map((item, i) => {
    const field = `changes[${i}]`;
    const change = objectOf(item, field);
    refuseUnknown(change, CHANGE_FIELDS, `${field}.`);
    const path = checkMemoryPath(change.path, `${field}.path`);
    if (seen.has(path)) {
      throw new InputError(`${field}.path: '${path}' is given twice`);
    }
    seen.add(path);
    const content =
      change.content === null
        ? null
        : text(change.content, `${field}.content`, { max: MAX_PATCH_BYTES });
    if (content !== null && content.includes('\0')) {
      throw new InputError(`${field}.content: must be text, without NUL`);
    }
    return { path, content };
  });
}

/** The body of `POST /memory/updates`, field by field; unknown fields are refused. */
export function parseProposal(body: unknown): ProposalInput {
  const input = objectOf(body, 'body');
  refuseUnknown(input, PROPOSAL_FIELDS);
  const proposal: ProposalInput = {
    org: checkOrg(input.org),
    title: text(input.title, 'title', { min: 1, max: 200 }).trim(),
  };
  if (!proposal.title) throw new InputError('title: must not be blank');
  if (input.description !== undefined) {
    proposal.description = text(input.description, 'description', {
      max: 20000,
    });
  }
  if (input.baseCommit !== undefined) {
    if (
      typeof input.baseCommit !== 'string' ||
      !COMMIT.test(input.baseCommit)
    ) {
      throw new InputError(
        'baseCommit: must be a full commit id (40 lowercase hex digits)',
      );
    }
    proposal.baseCommit = input.baseCommit;
  }
  if (input.patch !== undefined && input.changes !== undefined) {
    throw new InputError('patch: give either patch or changes, not both');
  }
  if (input.patch !== undefined) {
    proposal.patch = text(input.patch, 'patch', {
      min: 1,
      max: MAX_PATCH_BYTES,
    });
  } else if (input.changes !== undefined) {
    proposal.changes = changesOf(input.changes);
  } else {
    throw new InputError(
      'changes: give the files to change (or a patch in `patch`)',
    );
  }
  return proposal;
}

/** The body of a review: `{ decision: 'approve' | 'reject', comment? }`. */
export function parseReview(body: unknown): {
  decision: ReviewDecision;
  comment?: string;
} {
  const input = objectOf(body ?? {}, 'body');
  refuseUnknown(input, REVIEW_FIELDS);
  if (input.decision !== 'approve' && input.decision !== 'reject') {
    throw new InputError("decision: must be 'approve' or 'reject'");
  }
  return {
    decision: input.decision,
    ...(input.comment !== undefined
      ? { comment: text(input.comment, 'comment', { max: 5000 }) }
      : {}),
  };
}

/** A merge takes no options: an empty body, or none. */
export function parseMerge(body: unknown) {
  if (body === undefined || body === null || body === '') return;
  refuseUnknown(objectOf(body, 'body'), new Set());
}
