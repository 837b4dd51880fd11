import { MemoryQuery } from '@krate/plugin-agents-common';

/** What a memory query asks, in a line: `search "ledger" (regex, ignore case) in service`. */
export function memoryQueryText(query: MemoryQuery): string {
  const kinds =
    query.type !== 'record' && query.kinds?.length
      ? ` of kind ${query.kinds.join(', ')}`
      : '';
  if (query.type === 'search') {
    const flags = [
      query.regex ? 'regex' : undefined,
      query.ignoreCase ? 'ignore case' : undefined,
    ].filter(Boolean);
    const paths = query.paths?.length ? ` under ${query.paths.join(', ')}` : '';
    return `search "${query.pattern}"${
      flags.length ? ` (${flags.join(', ')})` : ''
    }${paths}${kinds}`;
  }
  if (query.type === 'graph') {
    const around = query.around
      ? ` around ${query.around}, depth ${query.depth ?? 1}`
      : '';
    return `graph${around}${kinds}`;
  }
  return `record ${query.id}`;
}
