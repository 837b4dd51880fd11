import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import { MemoryService } from '../MemoryService';
import { CommitIdentities } from './commitIdentities';
import { mergeCommitMessage, updateTrailer } from './mergeCommitMessage';
import { MemoryPlumbing } from './MemoryPlumbing';
import { introducedIssues, isMemoryFile } from './proposalValidation';

type Validation = NonNullable<AgentMemoryUpdate['status']>['validation'];

export type MergeOutcome =
  | { merged: true; commit: string; validation?: Validation }
  | { merged: false; message: string; validation?: Validation };

/** A concurrent merge moved the branch: one more try from its new head, then Conflict. */
const ATTEMPTS = 2;

/**
 * Makes the commit of an approved proposal on the memory branch: the patch applied to the head in
 * a temporary index (three-way when the head moved past the base), validated again at the head,
 * committed with the approver as author and the merger as committer, and the branch moved by
 * compare-and-swap. A commit already on the branch with the proposal's trailer is answered
 * instead of a second one.
 */
export async function mergeUpdate(options: {
  git: MemoryPlumbing;
  memory: MemoryService;
  identities: CommitIdentities;
  update: AgentMemoryUpdate;
  mergedBy: string;
}): Promise<MergeOutcome> {
  const { git, memory, identities, update, mergedBy } = options;
  const { namespace: org, name } = update.metadata;
  const { baseCommit, patch, files } = update.spec;
  const approvers = [
    ...new Set(
      (update.status?.reviews ?? [])
        .filter(review => review.decision === 'approved')
        .map(review => review.reviewer),
    ),
  ];
  const author = await identities(approvers[approvers.length - 1] ?? mergedBy);
  const committer = await identities(mergedBy);
  const branch = await git.branch();
  const paths = files.map(file => file.path).join(', ');

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const head = await git.head(branch);
    if (!head) {
      return { merged: false, message: `the memory has no ${branch} branch` };
    }
    const [landed] = await git.commitsWithTrailer(
      baseCommit,
      head,
      updateTrailer(org, name),
    );
    if (landed) return { merged: true, commit: landed };

    const applied = await git.applyPatch(head, patch, {
      threeWay: head !== baseCommit,
    });
    if (!applied.applied) {
      return {
        merged: false,
        message: `The change to ${paths} no longer applies to ${branch} at ${head}: ${applied.message}`,
      };
    }
    const { snapshot } = await memory.snapshot(org, { ref: head });
    const changed = (await git.changedFiles(head, applied.tree)).filter(file =>
      isMemoryFile(file.path),
    );
    const read = await git.readFiles(
      applied.tree,
      changed.filter(f => f.change !== 'deleted').map(f => f.path),
    );
    const issues = introducedIssues(
      snapshot,
      new Map(changed.map(file => [file.path, read.get(file.path) ?? null])),
    );
    const validation = { valid: issues.length === 0, commit: head, issues };
    if (issues.length > 0) {
      return {
        merged: false,
        message: `Merged onto ${branch} at ${head} the change would introduce ${issues.length} ontology issue(s)`,
        validation,
      };
    }
    const commit = await git.commitTree({
      tree: applied.tree,
      parent: head,
      message: mergeCommitMessage(update, approvers),
      author,
      committer,
    });
    if (await git.moveBranch(branch, commit, head)) {
      return { merged: true, commit, validation };
    }
  }
  return {
    merged: false,
    message: `${branch} kept moving while ${org}/${name} was merged; try the merge again`,
  };
}
