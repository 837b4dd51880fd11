import { InputError } from '@backstage/errors';
import { AgentDispatchRun, WorkItem } from '@krate/plugin-agents-common';
import { ResourceStore } from '../resources/ResourceStore';
import { TrustTier } from './refTrust';

type RunSpec = AgentDispatchRun['spec'];

/** What a work item gives a run started from it. */
export interface WorkItemRun {
  workItem: WorkItem;
  /** The run's spec with the work item's source, repository and context labels. */
  spec: RunSpec;
  /** At most this trusted: `forked` for a pull request from another repository. */
  trustTier?: TrustTier;
}

/**
 * The run's spec as the work item `name` makes it: its source is the issue or pull request, its
 * repository the work item's (a request naming another one is refused), and the work item's
 * context labels join the requested ones. A pull request whose head is in another repository is
 * a fork: its runs are `forked`, so they work in an isolated workspace of their own.
 */
export async function workItemRun(
  store: ResourceStore,
  namespace: string,
  name: string,
  spec: RunSpec,
): Promise<WorkItemRun> {
  const workItem = (await store.get('WorkItem', namespace, name)) as
    | WorkItem
    | undefined;
  if (!workItem) {
    throw new InputError(
      `workItem: WorkItem ${namespace}/${name} does not exist`,
    );
  }
  const item = workItem.spec;
  if (spec.repository && spec.repository !== item.repository) {
    throw new InputError(
      `repository: ${spec.repository} is not the repository of WorkItem ${namespace}/${name} (${item.repository}); leave it out or name ${item.repository}`,
    );
  }
  const contextLabels = [
    ...new Set([...(spec.contextLabels ?? []), ...(item.contextLabels ?? [])]),
  ];
  const forked =
    item.kind === 'pull-request' &&
    item.head !== undefined &&
    item.head.repository !== item.repository;
  const ref = spec.ref ?? pullRequestRef(workItem, forked);
  return {
    workItem,
    spec: {
      ...spec,
      repository: item.repository,
      ...(ref ? { ref } : {}),
      ...(contextLabels.length ? { contextLabels } : {}),
      source: {
        kind: item.kind,
        name: String(item.number),
        ...(item.url ? { url: item.url } : {}),
      },
    },
    ...(forked ? { trustTier: 'forked' as const } : {}),
  };
}

/**
 * The code of a pull request when the request names no ref: its head branch when that lives in
 * the repository itself, else the head ref the forge publishes in the base repository
 * (`refs/pull/<n>/head` on GitHub, `refs/merge-requests/<n>/head` on GitLab), which a fork's
 * branch never is.
 */
function pullRequestRef(workItem: WorkItem, forked: boolean) {
  const { kind, head, number, url } = workItem.spec;
  if (kind !== 'pull-request') {
    return undefined;
  }
  if (head?.ref && !forked) {
    return head.ref;
  }
  return url?.includes('/-/merge_requests/')
    ? `refs/merge-requests/${number}/head`
    : `refs/pull/${number}/head`;
}
