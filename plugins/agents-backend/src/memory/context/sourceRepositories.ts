import { Repositories } from '../../repositories';
import { LocateSourceRepository } from './StaleRecords';

/**
 * Source repositories as the backend reaches them for workspaces: a clone under the repository
 * roots read at its HEAD, else the bare cache of a declared repository (fetched on demand) read
 * at the remote's default branch.
 */
export function sourceRepositories(
  repositories: Pick<Repositories, 'locate'>,
): LocateSourceRepository {
  return async name => {
    const located = await repositories.locate(name);
    if (!located) return undefined;
    return {
      path: located.path,
      branch: located.kind === 'clone' ? 'HEAD' : 'refs/remotes/origin/HEAD',
    };
  };
}
