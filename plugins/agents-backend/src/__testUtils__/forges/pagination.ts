/** One page of a list and the headers that describe the others. */
export interface ForgePage<T> {
  items: T[];
  headers: Record<string, string>;
}

function pageUrl(url: URL, page: number) {
  const next = new URL(url);
  next.searchParams.set('page', String(page));
  return next.toString();
}

function clampedSize(value: string | null, fallback: number, max: number) {
  const size = Number(value);
  if (!Number.isInteger(size) || size <= 0) {
    return fallback;
  }
  return Math.min(size, max);
}

function links(url: URL, page: number, last: number) {
  return {
    prev: page > 1 ? pageUrl(url, page - 1) : undefined,
    next: page < last ? pageUrl(url, page + 1) : undefined,
    last: page < last ? pageUrl(url, last) : undefined,
    first: page > 1 ? pageUrl(url, 1) : undefined,
  };
}

function slice<T>(items: T[], page: number, size: number) {
  return items.slice((page - 1) * size, page * size);
}

/**
 * GitHub's REST pagination: `per_page` (default 30, at most 100) and `page`, and a `Link` header
 * with `prev`, `next`, `last` and `first` (absolute URLs, `, `-separated) when there is more than
 * one page.
 */
export function githubPage<T>(items: T[], url: URL): ForgePage<T> {
  const size = clampedSize(url.searchParams.get('per_page'), 30, 100);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = Object.entries(links(url, page, last))
    .filter(([, target]) => target)
    .map(([rel, target]) => `<${target}>; rel="${rel}"`)
    .join(', ');
  return {
    items: slice(items, page, size),
    headers: link ? { link } : {},
  };
}

/**
 * Gitea's pagination: `limit` (default 30, at most 50) and `page`, `X-Total-Count`, and — on the
 * routes that call `SetLinkHeader` (`withLink`) — a `Link` header with `next`, `last`, `first` and
 * `prev` (`,`-separated).
 */
export function giteaPage<T>(
  items: T[],
  url: URL,
  options: { withLink: boolean },
): ForgePage<T> {
  const size = clampedSize(url.searchParams.get('limit'), 30, 50);
  const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
  const last = Math.max(1, Math.ceil(items.length / size));
  const headers: Record<string, string> = {
    'x-total-count': String(items.length),
  };
  const order = links(url, page, last);
  const link = (['next', 'last', 'first', 'prev'] as const)
    .filter(rel => order[rel])
    .map(rel => `<${order[rel]}>; rel="${rel}"`)
    .join(',');
  if (options.withLink && link) {
    headers.link = link;
  }
  return { items: slice(items, page, size), headers };
}
