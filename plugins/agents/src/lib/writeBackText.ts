import {
  AgentApproval,
  AgentReviewArtifact,
  WriteBackOperation,
} from '@krate/plugin-agents-common';

/** What a void write-back or a superseded artifact is called wherever it shows. */
export const VOID_LABEL = 'void — the diff changed';

/** `sha256:0123456789ab`: enough of a digest to tell two diffs apart. */
export function shortDigest(digest?: string): string {
  if (!digest) return '—';
  const [algorithm, hex] = digest.includes(':')
    ? digest.split(':', 2)
    : ['', digest];
  return `${algorithm ? `${algorithm}:` : ''}${hex.slice(0, 12)}`;
}

const OPERATION_NAMES: Record<WriteBackOperation['operation'], string> = {
  branch: 'push branch',
  'pull-request': 'pull request',
  review: 'pull request review',
  comment: 'pull request comment',
  'issue-comment': 'issue comment',
  'workflow-rerun': 'workflow re-run',
};

/** A write-back operation in a few words: `pull request agents/run-1 → main`. */
export function describeOperation(operation: Partial<WriteBackOperation>) {
  const name = operation.operation
    ? OPERATION_NAMES[operation.operation] ?? operation.operation
    : 'write-back';
  switch (operation.operation) {
    case 'branch':
      return `${name} ${operation.branch ?? ''}`.trim();
    case 'pull-request':
      return `${name} ${operation.branch ?? ''} → ${
        operation.base ?? 'the default branch'
      }`;
    case 'review':
    case 'comment':
      return `${name} on #${operation.number ?? '?'}${
        operation.reviewEvent ? ` (${operation.reviewEvent})` : ''
      }`;
    case 'issue-comment':
      return `${name} on #${operation.number ?? '?'}`;
    case 'workflow-rerun':
      return `${name} ${operation.workflowRunId ?? ''}`.trim();
    default:
      return name;
  }
}

/** The operation a write-back approval is bound to (stored as free JSON). */
export function boundOperation(
  approval: AgentApproval,
): Partial<WriteBackOperation> {
  const operation = approval.spec.binding?.operation;
  return operation && typeof operation === 'object' && !Array.isArray(operation)
    ? (operation as Partial<WriteBackOperation>)
    : {};
}

/** One approver's approval, towards the approval's required number. */
export interface ApprovalVote {
  by: string;
  time?: string;
  reason?: string;
}

/** N of M: who approved so far and how many approvals the gate needs. */
export function approvalProgress(approval: AgentApproval): {
  approved: number;
  required: number;
  votes: ApprovalVote[];
} {
  const { spec, status = {} } = approval;
  let votes: ApprovalVote[] = status.approvals ?? [];
  // Approvals decided before N-of-M carry only the decider.
  if (!status.approvals && status.state === 'approved' && status.decidedBy) {
    votes = [{ by: status.decidedBy, time: status.decisionTime }];
  }
  return {
    approved: votes.length,
    required: spec.requiredApprovals ?? 1,
    votes,
  };
}

/**
 * Why a write-back approval no longer approves anything, from the server's state: the approval was
 * voided, or the artifact it is bound to was superseded or holds another diff.
 */
export function voidReason(
  approval: AgentApproval,
  artifact?: AgentReviewArtifact,
): string | undefined {
  const binding = approval.spec.binding;
  if (approval.status?.state === 'void') {
    const reason = approval.status.reason;
    // Only a write-back approval is bound to a diff; others are void when dropped on expiry.
    const label = binding ? VOID_LABEL : 'void';
    if (!reason) return binding ? label : 'void: the request was dropped';
    return reason.startsWith('void') ? reason : `${label}: ${reason}`;
  }
  if (!binding || !artifact) return undefined;
  if (artifact.status?.state === 'superseded') {
    const by = artifact.status.supersededBy;
    return `${VOID_LABEL}: artifact ${binding.artifact} was superseded${
      by ? ` by ${by}` : ''
    }`;
  }
  if (artifact.spec.digest !== binding.digest) {
    return `${VOID_LABEL}: artifact ${binding.artifact} is now ${shortDigest(
      artifact.spec.digest,
    )}, not the approved ${shortDigest(binding.digest)}`;
  }
  return undefined;
}
