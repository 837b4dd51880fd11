import {
  AGENTS_MEMORY_SEARCH_TYPE,
  AGENTS_SEARCH_TYPE,
} from '@krate/plugin-agents-common';
import { SearchResult } from '@backstage/plugin-search-common';

/** The results the agents collators index: resources, and memory records. */
export function isAgentsSearchResult(result: SearchResult): boolean {
  return (
    result.type === AGENTS_SEARCH_TYPE ||
    result.type === AGENTS_MEMORY_SEARCH_TYPE
  );
}
