import { createHash } from 'node:crypto';

/** The forge's kinds of work item. */
export type WorkItemKindName = 'issue' | 'pull-request';

/**
 * The WorkItem name of an issue or pull request, the same wherever and however often it is
 * computed, so every delivery about it (on any instance) writes the one record:
 * `<repository>-issue-<number>` or `<repository>-pr-<number>` in the org's namespace. A
 * repository name that is no DNS label as it is (dots, underscores) or too long gets a hash of
 * the whole reference, so two repositories never share a name.
 */
export function workItemName(
  repository: string,
  kind: WorkItemKindName,
  number: number,
): string {
  const [, name = repository] = repository.split('/');
  const suffix = `-${kind === 'issue' ? 'issue' : 'pr'}-${number}`;
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const room = 63 - suffix.length;
  if (cleaned === name && cleaned.length <= room) {
    return `${cleaned}${suffix}`;
  }
  const hash = createHash('sha256')
    .update(`${repository}#${kind}#${number}`)
    .digest('hex')
    .slice(0, 8);
  const short = cleaned.slice(0, room - hash.length - 1).replace(/-+$/, '');
  return `${short ? `${short}-` : ''}${hash}${suffix}`;
}
