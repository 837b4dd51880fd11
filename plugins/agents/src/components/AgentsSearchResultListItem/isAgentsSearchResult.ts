import {
  AGENTS_APPROVAL_SEARCH_TYPE,
  AGENTS_MEMORY_SEARCH_TYPE,
  AGENTS_RUN_SEARCH_TYPE,
  AGENTS_SEARCH_TYPE,
} from '@krate/plugin-agents-common';
import { SearchResult } from '@backstage/plugin-search-common';

const AGENTS_TYPES: string[] = [
  AGENTS_SEARCH_TYPE,
  AGENTS_MEMORY_SEARCH_TYPE,
  AGENTS_RUN_SEARCH_TYPE,
  AGENTS_APPROVAL_SEARCH_TYPE,
];

/** The results the agents collators index: resources, memory records, runs and approvals. */
export function isAgentsSearchResult(result: SearchResult): boolean {
  return AGENTS_TYPES.includes(result.type);
}
