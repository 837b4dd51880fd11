import { WriteBackResult } from '@krate/plugin-agents-common';
import { WriteBackRequest } from '@krate/plugin-agents-node';
import { ForgeTarget } from './ForgeOperation';
import { ForgeMarkedItem } from './ForgeRepositoryApi';
import { markedBody } from './markedBody';

/** The first item whose body carries `marker`; reads no page past the one it is on. */
async function findMarked(
  pages: AsyncIterable<ForgeMarkedItem[]>,
  marker: string,
): Promise<ForgeMarkedItem | undefined> {
  for await (const items of pages) {
    const item = items.find(candidate => candidate.body?.includes(marker));
    if (item) {
      return item;
    }
  }
  return undefined;
}

/**
 * The item of `existing` that carries the request's marker, else the one `post` makes of the
 * request's body and marker: a retry after a lost answer finds what it posted and never posts
 * twice.
 */
export async function postMarked(
  request: WriteBackRequest,
  target: ForgeTarget,
  existing: AsyncIterable<ForgeMarkedItem[]>,
  post: (body: string) => Promise<ForgeMarkedItem>,
): Promise<WriteBackResult[]> {
  const item =
    (await findMarked(existing, request.marker)) ??
    (await post(markedBody(request.operation.body, request.marker)));
  return [
    {
      target: target.id,
      operation: request.operation.operation,
      ref: String(item.id),
      url: item.html_url,
    },
  ];
}
