import { WriteBackOperationKind } from '@krate/plugin-agents-common';

/** The stack's `writeBackPolicy`, as a run's launch profile snapshot holds it. */
export interface WriteBackPolicy {
  mode?: 'none' | 'patch' | 'branch' | 'pull-request' | 'comment';
  requireApproval?: boolean;
  autoApproveTrusted?: boolean;
  requiredApprovals?: number;
  expireAfterMinutes?: number;
  expiryAction?: 'reject' | 'void';
  onChangesRequested?: 'mark' | 'continue';
}

/** What each mode lets a write-back do. */
const MODE_OPERATIONS: Record<
  NonNullable<WriteBackPolicy['mode']>,
  WriteBackOperationKind[]
> = {
  none: [],
  patch: [],
  branch: ['branch'],
  'pull-request': [
    'branch',
    'pull-request',
    'review',
    'comment',
    'issue-comment',
    'workflow-rerun',
  ],
  comment: ['review', 'comment', 'issue-comment'],
};

/** Why the policy refuses `operation`, or undefined when it allows it. */
export function policyRefusal(
  policy: WriteBackPolicy | undefined,
  operation: WriteBackOperationKind,
): string | undefined {
  const mode = policy?.mode ?? 'pull-request';
  if (MODE_OPERATIONS[mode].includes(operation)) {
    return undefined;
  }
  if (mode === 'none' || mode === 'patch') {
    return `The stack's writeBackPolicy.mode is ${mode}: nothing is written back (the patch can be downloaded)`;
  }
  return `The stack's writeBackPolicy.mode ${mode} allows ${MODE_OPERATIONS[
    mode
  ].join(', ')}, not ${operation}`;
}

/** Whether a write-back waits for approval: yes, unless the policy says otherwise. */
export function needsApproval(
  policy: WriteBackPolicy | undefined,
  trustTier: string | undefined,
): boolean {
  if (policy?.requireApproval === false) {
    return false;
  }
  return !(policy?.autoApproveTrusted && trustTier === 'trusted');
}
