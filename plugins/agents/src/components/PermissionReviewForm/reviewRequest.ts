import {
  PermissionReviewRequest,
  PermissionSubject,
} from '@krate/plugin-agents-common';

/** What the review form holds. */
export interface ReviewInput {
  subjectKind: PermissionSubject['kind'];
  subjectName: string;
  /** Whether the review asks about an action or about dispatching a stack. */
  about: 'action' | 'stack';
  action: string;
  stack: string;
  repository: string;
}

export type ReviewProblems = Partial<
  Record<'subjectName' | 'action' | 'stack' | 'repository', string>
>;

const REPOSITORY = /^[^/\s]+\/[^/\s]+$/;

/**
 * What is wrong with the input, by field, as the server would refuse it. A user or team may be
 * named in short (`alice`): the server completes the entity ref.
 */
export function reviewProblems(input: ReviewInput): ReviewProblems {
  const problems: ReviewProblems = {};
  const name = input.subjectName.trim();
  if (!name) {
    problems.subjectName = 'Name the subject to review';
  }
  if (input.about === 'action' && !input.action) {
    problems.action = 'Choose the permission to review';
  }
  if (input.about === 'stack' && !input.stack) {
    problems.stack = 'Choose the stack to review';
  }
  const repository = input.repository.trim();
  if (repository && !REPOSITORY.test(repository)) {
    problems.repository = 'A repository is <org>/<repository>';
  }
  return problems;
}

/** The body of `POST /permissions/review` for valid input: one of action and stack. */
export function reviewRequest(
  namespace: string,
  input: ReviewInput,
): PermissionReviewRequest {
  const repository = input.repository.trim();
  return {
    namespace,
    subject: { kind: input.subjectKind, name: input.subjectName.trim() },
    ...(input.about === 'action'
      ? { action: input.action }
      : { stack: input.stack }),
    ...(repository ? { repository } : {}),
  };
}
