import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitCli } from '../workspaces/GitCli';
import {
  CANONICAL_DIFF_CONFIG,
  canonicalDiffArgs,
} from '../workspaces/canonicalDiff';

/** A workspace's change against its base, as an artifact records it. */
export interface WorkspacePatch {
  /** The unified diff, in the canonical form the digest is taken over. */
  patch: string;
  digest: string;
  base: string;
  head: string;
  /** The tree of the working copy (HEAD plus uncommitted changes, ignored files left out). */
  tree: string;
  uncommitted: boolean;
  stat: { files: number; insertions: number; deletions: number };
  commits: { sha: string; subject: string }[];
}

/**
 * What a run leaves for the org memory: proposed as a memory update of its own, reviewed there,
 * and never part of the patch that goes to the forge.
 */
export const RUN_MEMORY_PATH = '.krate/memory';

/** The sha256 of an artifact's content, as `spec.digest` holds it. */
export function contentDigest(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * The workspace's change against `base`: committed and uncommitted changes, untracked files
 * included and ignored ones left out, `.krate/memory/` kept as it is at `base`, read through a
 * temporary index so neither the worktree nor its index is touched.
 */
export async function workspacePatch(
  git: GitCli,
  worktree: string,
  base: string,
): Promise<WorkspacePatch> {
  const index = path.join(os.tmpdir(), `krate-artifact-${randomUUID()}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    const head = (await git.run(worktree, ['rev-parse', 'HEAD'])).trim();
    await git.run(worktree, ['read-tree', 'HEAD'], env);
    await git.run(worktree, ['add', '--all', '--', '.'], env);
    await git.run(
      worktree,
      ['reset', '--quiet', base, '--', RUN_MEMORY_PATH],
      env,
    );
    const tree = (await git.run(worktree, ['write-tree'], env)).trim();
    const headTree = (
      await git.run(worktree, ['rev-parse', 'HEAD^{tree}'])
    ).trim();
    const [patch, numstat, log] = await Promise.all([
      git.run(worktree, canonicalDiffArgs(base, tree)),
      git.run(worktree, [
        ...CANONICAL_DIFF_CONFIG,
        'diff',
        '--numstat',
        base,
        tree,
      ]),
      git.run(worktree, [
        'log',
        '--reverse',
        '--format=%H%x09%s',
        `${base}..${head}`,
      ]),
    ]);
    return {
      patch,
      digest: contentDigest(patch),
      base,
      head,
      tree,
      uncommitted: tree !== headTree,
      stat: statOf(numstat),
      commits: log
        .split('\n')
        .filter(Boolean)
        .map(line => {
          const tab = line.indexOf('\t');
          return { sha: line.slice(0, tab), subject: line.slice(tab + 1) };
        }),
    };
  } finally {
    await fs.rm(index, { force: true });
  }
}

function statOf(numstat: string) {
  let files = 0;
  let insertions = 0;
  let deletions = 0;
  for (const line of numstat.split('\n').filter(Boolean)) {
    const [added, removed] = line.split('\t');
    files += 1;
    insertions += Number(added) || 0;
    deletions += Number(removed) || 0;
  }
  return { files, insertions, deletions };
}
