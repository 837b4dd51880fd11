import { useMemoryPoint } from '../components/MemoryTimeTravel';
import { useAgentsPaths } from './useAgentsPaths';

/** Links between the memory pages of one org that keep the chosen point in time. */
export function useMemoryLinks(org?: string) {
  const paths = useAgentsPaths();
  const point = useMemoryPoint();
  const keep = { namespace: org, ...point };
  return {
    overview: () => paths.memory(keep),
    search: (filters: Record<string, string | undefined> = {}) =>
      paths.memorySearch({ ...keep, ...filters }),
    graph: (filters: Record<string, string | undefined> = {}) =>
      paths.memoryGraph({ ...keep, ...filters }),
    record: (id: string) => paths.memoryRecord(id, keep),
  };
}
