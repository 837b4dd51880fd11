import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore } from '../resources/ResourceStore';

/** The full names (`refs/heads/…`) of the working branches of a repository's workspaces. */
export async function workspaceBranches(
  store: ResourceStore,
  repository: string,
): Promise<Set<string>> {
  const branches = new Set<string>();
  let continueToken: string | undefined;
  do {
    const page = await store.list('AgentWorkspace', {
      fieldFilters: { repository },
      limit: 500,
      continueToken,
    });
    for (const item of page.items as AgentWorkspace[]) {
      if (item.spec.branch) {
        branches.add(`refs/heads/${item.spec.branch}`);
      }
    }
    continueToken = page.continueToken;
  } while (continueToken);
  return branches;
}
