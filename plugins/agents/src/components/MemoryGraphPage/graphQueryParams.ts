import { MemoryGraphQuery } from '../../api';

/** The graph the URL asks for: `?kind=a,b&around=<id>&depth=n`. */
export function graphQueryOf(params: URLSearchParams): MemoryGraphQuery {
  const kinds = (params.get('kind') ?? '').split(',').filter(Boolean);
  const around = params.get('around') || undefined;
  const depth = Number(params.get('depth'));
  return {
    kinds: kinds.length ? kinds : undefined,
    around,
    depth: around && Number.isInteger(depth) && depth > 0 ? depth : undefined,
  };
}

/** The URL's parameters with some of the graph's changed; an undefined value removes it. */
export function withGraphParams(
  params: URLSearchParams,
  changes: { kind?: string[]; around?: string; depth?: number },
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes)) {
    const text = Array.isArray(value) ? value.join(',') : value?.toString();
    if (text) next.set(key, text);
    else next.delete(key);
  }
  return next;
}
