import { ResourceStore } from '../../resources/ResourceStore';

/** Proposed memory updates of an org that still wait for someone. */
export interface PendingUpdateCounts {
  proposed: number;
  approved: number;
  conflict: number;
}

const PHASES: [keyof PendingUpdateCounts, string][] = [
  ['proposed', 'Proposed'],
  ['approved', 'Approved'],
  ['conflict', 'Conflict'],
];

/** Counts an org's AgentMemoryUpdate rows by phase (the indexed `status.phase`). */
export function pendingUpdateCounts(
  store: Pick<ResourceStore, 'list'>,
): (org: string) => Promise<PendingUpdateCounts> {
  return async org => {
    const counts: PendingUpdateCounts = {
      proposed: 0,
      approved: 0,
      conflict: 0,
    };
    for (const [key, phase] of PHASES) {
      let continueToken: string | undefined;
      do {
        const page = await store.list('AgentMemoryUpdate', {
          namespace: org,
          fieldFilters: { phase },
          limit: 500,
          continueToken,
        });
        counts[key] += page.items.length;
        continueToken = page.continueToken;
      } while (continueToken);
    }
    return counts;
  };
}
