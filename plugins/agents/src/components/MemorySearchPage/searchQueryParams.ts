import { MemorySearchQuery } from '../../api';

const SEARCH_PARAMS = ['q', 'regex', 'ignoreCase', 'path', 'kind'];

/** The search the URL asks for, or undefined before a first search. */
export function searchQueryOf(
  params: URLSearchParams,
): MemorySearchQuery | undefined {
  const q = params.get('q');
  if (!q) return undefined;
  const kinds = (params.get('kind') ?? '').split(',').filter(Boolean);
  return {
    q,
    regex: params.get('regex') === 'true',
    ignoreCase: params.get('ignoreCase') === 'true',
    path: params.get('path') || undefined,
    kinds: kinds.length ? kinds : undefined,
  };
}

/** The URL's parameters with the search replaced, so that a search can be linked and gone back to. */
export function withSearchQuery(
  params: URLSearchParams,
  search: MemorySearchQuery,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const param of SEARCH_PARAMS) next.delete(param);
  next.set('q', search.q);
  if (search.regex) next.set('regex', 'true');
  if (search.ignoreCase) next.set('ignoreCase', 'true');
  if (search.path) next.set('path', search.path);
  if (search.kinds?.length) next.set('kind', search.kinds.join(','));
  return next;
}
