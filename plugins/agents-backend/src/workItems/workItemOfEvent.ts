import { ResourceStore } from '../resources/ResourceStore';
import { valueAt } from '../triggers/renderTemplate';
import { workItemName } from './workItemName';

/**
 * The WorkItem a run started by this event works on: the issue or pull request the payload is
 * about (a comment's too), when the org has its record — a delivery records it before the rules
 * run (WorkItemDeliveries). Undefined for other events and for a dry-run's sample of an issue
 * no delivery told about.
 */
export async function workItemOfEvent(
  store: ResourceStore,
  namespace: string,
  sample: { repository?: string; event: Record<string, unknown> },
): Promise<string | undefined> {
  const { repository, event } = sample;
  if (!repository || !repository.startsWith(`${namespace}/`)) {
    return undefined;
  }
  const pull = valueAt(event, 'pull_request.number');
  const issue = valueAt(event, 'issue.number');
  let ref: ['issue' | 'pull-request', unknown] | undefined;
  if (pull !== undefined) {
    ref = ['pull-request', pull];
  } else if (issue !== undefined) {
    const isPull = !!valueAt(event, 'issue.pull_request');
    ref = [isPull ? 'pull-request' : 'issue', issue];
  }
  if (!ref) return undefined;
  const [kind, number] = ref;
  if (
    typeof number !== 'number' ||
    !Number.isSafeInteger(number) ||
    number < 1
  ) {
    return undefined;
  }
  const name = workItemName(repository, kind, number);
  return (await store.get('WorkItem', namespace, name)) ? name : undefined;
}
