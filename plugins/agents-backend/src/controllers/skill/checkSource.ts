import {
  AGENTS_REPOSITORY_ANNOTATION,
  AgentSkill,
} from '@krate/plugin-agents-common';
import { posix } from 'node:path';
import { redactUrls } from '../../repositories/repositoryUrl';
import { GitCli } from '../../workspaces/GitCli';
import { resolveRef } from '../../workspaces/resolveRef';
import { SkillFinding } from './SkillValidation';

/** Where skill sources are read from: the repositories workspaces are made of. */
export interface SkillRepositories {
  /** A git repository holding `name`'s commits, fetched for `ref`; undefined when unknown. */
  locate(name: string, ref?: string): Promise<{ path: string } | undefined>;
}

/** `spec.source.path` as a path inside the repository (`''` for its root); undefined outside it. */
function repositoryPath(raw: string): string | undefined {
  const normal = posix.normalize(raw).replace(/\/+$/, '');
  if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    return undefined;
  }
  return normal === '.' ? '' : normal;
}

/** What `path` is at `commit`: a directory, a file, or undefined when it is not there. */
async function entryAt(
  git: GitCli,
  repository: string,
  commit: string,
  path: string,
): Promise<'directory' | 'file' | undefined> {
  if (path === '') return 'directory';
  const out = await git.run(
    repository,
    ['ls-tree', '-z', '--full-tree', commit, '--', path],
    // The path is a name, never a pattern.
    { GIT_LITERAL_PATHSPECS: '1' },
  );
  for (const entry of out.split('\0')) {
    const [info, name] = entry.split('\t');
    if (name !== path) continue;
    const type = info.split(' ')[1];
    if (type === 'tree') return 'directory';
    if (type === 'blob') return 'file';
  }
  return undefined;
}

/**
 * Whether the skill's source is there: the repository is one Krate knows and can reach, the ref
 * resolves to a commit, and the path is a file or directory at that commit. A repository that
 * cannot be reached is pending, not invalid: nothing about the skill needs to change.
 */
export async function checkSource(
  source: AgentSkill['spec']['source'],
  repositories: SkillRepositories,
  git: GitCli,
): Promise<SkillFinding> {
  const { repository } = source;
  const ref = source.ref ?? 'HEAD';
  const path = repositoryPath(source.path);
  if (path === undefined) {
    return {
      outcome: 'invalid',
      reason: 'PathOutsideRepository',
      message: `spec.source.path '${source.path}' leads outside the repository; give a path relative to its root.`,
    };
  }
  let located;
  try {
    located = await repositories.locate(repository, source.ref);
  } catch (error) {
    return {
      outcome: 'pending',
      reason: 'RepositoryUnreachable',
      message: redactUrls(
        `Repository ${repository} could not be reached; validation is retried. ${
          (error as Error).message
        }`,
      ),
    };
  }
  if (!located) {
    return {
      outcome: 'invalid',
      reason: 'RepositoryUnknown',
      message: `spec.source.repository ${repository} is not a repository Krate knows: declare it in agents.repositories or with a catalog entity's ${AGENTS_REPOSITORY_ANNOTATION} annotation, or clone it under agents.workspaces.repositoryRoots.`,
    };
  }
  const resolved = await resolveRef(git, located.path, ref);
  if (!resolved) {
    return {
      outcome: 'invalid',
      reason: 'RefNotFound',
      message: `spec.source.ref '${ref}' names no branch, tag or commit of ${repository}.`,
    };
  }
  const commit = resolved.sha;
  const entry = await entryAt(git, located.path, commit, path);
  if (!entry) {
    return {
      outcome: 'invalid',
      reason: 'PathNotFound',
      message: `spec.source.path '${source.path}' is not in ${repository} at ${ref} (${commit}).`,
      resolvedCommit: commit,
    };
  }
  return {
    outcome: 'valid',
    reason: 'SourceFound',
    message: `${source.path} is a ${entry} in ${repository} at ${ref} (${commit}).`,
    resolvedCommit: commit,
  };
}
