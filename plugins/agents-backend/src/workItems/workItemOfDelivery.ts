import { WorkItem } from '@krate/plugin-agents-common';
import { ParsedDelivery } from '../triggers/parseDelivery';
import { valueAt } from '../triggers/renderTemplate';
import { WorkItemKindName } from './workItemName';

/** What a delivery says about the issue or pull request it is about. */
export interface WorkItemSnapshot {
  namespace: string;
  spec: Pick<
    WorkItem['spec'],
    'repository' | 'number' | 'title' | 'url' | 'state' | 'labels' | 'head'
  > & { kind: WorkItemKindName };
  /** The forge's `updated_at` in milliseconds; undefined when the payload has none. */
  updatedAt?: number;
}

/** Stands for the head of a pull request whose fork was deleted: never the base repository. */
export const DELETED_FORK = 'unknown/deleted-fork';

const MAX_TITLE = 1024;

function text(value: unknown): string | undefined {
  // PostgreSQL text cannot hold NUL characters.
  return typeof value === 'string' ? value.split('\u0000').join('') : undefined;
}

function webUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\//.test(value)
    ? value
    : undefined;
}

function labelsOf(item: unknown): string[] {
  const labels = valueAt(item, 'labels');
  if (!Array.isArray(labels)) return [];
  return [
    ...new Set(
      labels
        .map(label => text(valueAt(label, 'name')))
        .filter((name): name is string => !!name),
    ),
  ];
}

/** A pull request's head; one whose repository is gone (a deleted fork) counts as a fork. */
function headOf(pull: unknown): WorkItem['spec']['head'] {
  const ref = text(valueAt(pull, 'head.ref'));
  if (!ref) return undefined;
  const repository = text(valueAt(pull, 'head.repo.full_name'))?.toLowerCase();
  return { repository: repository || DELETED_FORK, ref };
}

function stateOf(
  kind: WorkItemKindName,
  item: unknown,
): WorkItem['spec']['state'] | undefined {
  const state = valueAt(item, 'state');
  if (state === 'open') return 'open';
  if (state !== 'closed') return undefined;
  return kind === 'pull-request' &&
    (valueAt(item, 'merged') === true || !!valueAt(item, 'merged_at'))
    ? 'merged'
    : 'closed';
}

/**
 * The issue or pull request an `issues` or `pull_request` delivery (GitHub's or Gitea's, and
 * their label events) carries, as a WorkItem spec; undefined for any other delivery or one
 * whose payload lacks the number, title or state.
 */
export function workItemOfDelivery(
  parsed: ParsedDelivery,
): WorkItemSnapshot | undefined {
  const { repository, payload, sources } = parsed;
  if (!repository || !repository.startsWith(`${parsed.namespace}/`)) {
    return undefined;
  }
  let kind: WorkItemKindName;
  let item: unknown;
  if (sources.includes('pull-request') && valueAt(payload, 'pull_request')) {
    kind = 'pull-request';
    item = valueAt(payload, 'pull_request');
  } else if (
    sources.includes('issue') &&
    valueAt(payload, 'issue') &&
    // An issue event about a pull request does not say whether it was merged.
    !valueAt(payload, 'issue.pull_request')
  ) {
    kind = 'issue';
    item = valueAt(payload, 'issue');
  } else {
    return undefined;
  }
  const number = valueAt(item, 'number');
  const title = text(valueAt(item, 'title'));
  const state = stateOf(kind, item);
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < 1 ||
    title === undefined ||
    !state
  ) {
    return undefined;
  }
  const url = webUrl(valueAt(item, 'html_url'));
  const head = kind === 'pull-request' ? headOf(item) : undefined;
  const updated = Date.parse(String(valueAt(item, 'updated_at')));
  return {
    namespace: parsed.namespace,
    spec: {
      repository,
      kind,
      number,
      title: title.slice(0, MAX_TITLE),
      ...(url ? { url } : {}),
      state,
      labels: labelsOf(item),
      ...(head ? { head } : {}),
    },
    ...(Number.isNaN(updated) ? {} : { updatedAt: updated }),
  };
}
