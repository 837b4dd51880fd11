import { AgentWorkspace } from '@krate/plugin-agents-common';

/** Reasons a workspace needs someone's attention, read from its status. */
export const ATTENTION_FLAGS = ['missing', 'dirty', 'conflicted'] as const;

export type AttentionFlag = (typeof ATTENTION_FLAGS)[number];

export function attentionFlags(workspace: AgentWorkspace): AttentionFlag[] {
  const status = workspace.status ?? {};
  const git = status.git ?? {};
  const flags: AttentionFlag[] = [];
  if (status.state === 'missing' || status.pathMissing) flags.push('missing');
  if (git.dirty) flags.push('dirty');
  if (git.rebaseInProgress || (git.conflictingFiles ?? []).length > 0) {
    flags.push('conflicted');
  }
  return flags;
}

/** `dirty (3) · 2 ahead · 1 behind`, `clean`, or `—` before git was read. */
export function gitSummary(workspace: AgentWorkspace): string {
  const git = workspace.status?.git;
  if (!git) return '—';
  const parts = [
    git.dirty ? `dirty (${git.uncommittedCount ?? '?'})` : 'clean',
  ];
  if (git.ahead) parts.push(`${git.ahead} ahead`);
  if (git.behind) parts.push(`${git.behind} behind`);
  if (git.rebaseInProgress) parts.push('rebase in progress');
  return parts.join(' · ');
}

/** `dispatch-run scripted-demo-x1`, `manual`. */
export function ownerOf(workspace: AgentWorkspace): string {
  const { kind, ref } = workspace.spec.ownership;
  return ref ? `${kind} ${ref}` : kind;
}
