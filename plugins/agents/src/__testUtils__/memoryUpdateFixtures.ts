import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import { RunMemory, StaleMemoryRecord } from '../api';
import { MEMORY_COMMIT, MEMORY_HEAD } from './memoryFixtures';

export const UPDATE_PATCH =
  'diff --git a/runbooks/ledger.md b/runbooks/ledger.md\n--- /dev/null\n+++ b/runbooks/ledger.md\n@@ -0,0 +1,2 @@\n+# Ledger runbook\n+Restart the ledger.\n';

/** A proposed update of acme's memory, overrides merged into metadata, spec and status. */
export function memoryUpdateFixture(
  name: string,
  overrides: {
    spec?: Partial<AgentMemoryUpdate['spec']>;
    status?: AgentMemoryUpdate['status'];
    creationTimestamp?: string;
  } = {},
): AgentMemoryUpdate {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentMemoryUpdate',
    metadata: {
      name,
      namespace: 'acme',
      creationTimestamp:
        overrides.creationTimestamp ?? '2026-12-01T10:00:00.000Z',
    },
    spec: {
      title: `Title of ${name}`,
      baseCommit: MEMORY_COMMIT,
      patch: UPDATE_PATCH,
      files: [{ path: 'runbooks/ledger.md', change: 'added' }],
      source: { kind: 'user' },
      proposedBy: 'user:default/alice',
      ...overrides.spec,
    },
    status: {
      phase: 'Proposed',
      validation: { valid: true, commit: MEMORY_COMMIT, issues: [] },
      reviews: [],
      ...overrides.status,
    },
  } as AgentMemoryUpdate;
}

export const staleRecordFixture: StaleMemoryRecord = {
  id: 'services/payments-api',
  path: 'services/payments-api.md',
  reviewed: '2026-11-02',
  source: 'acme/payments-api/src/server.js',
  changedAt: '2026-11-20T09:00:00Z',
  changeCommit: 'abcdef0123456789abcdef0123456789abcdef01',
};

/** `GET /runs/acme/:run/memory` of a run that read acme's memory at MEMORY_COMMIT. */
export function runMemoryFixture(
  overrides: Partial<RunMemory> = {},
): RunMemory {
  return {
    snapshot: {
      org: 'acme',
      commit: MEMORY_COMMIT,
      resolvedFrom: 'at 2026-12-01T00:00:00Z',
      time: '2026-12-02T10:00:00Z',
      manifest: [
        { query: 0, path: 'services/payments-api.md', line: 14 },
        { query: 1, path: 'services/ledger.md', id: 'services/ledger' },
      ],
      withheld: 1,
    },
    selection: {
      org: 'acme',
      at: '2026-12-01T00:00:00Z',
      queries: [
        { type: 'search', pattern: 'ledger', ignoreCase: true },
        { type: 'record', id: 'services/ledger' },
      ],
    },
    parts: [
      {
        kind: 'memory',
        content: '# ledger\nKeeps the books.\n',
        provenance: {
          source: 'services/ledger.md',
          ref: `services/ledger.md@${MEMORY_COMMIT}`,
        },
        redactions: 0,
      },
    ],
    current: { commit: MEMORY_HEAD },
    diff: 'diff --git a/services/ledger.md b/services/ledger.md\n--- a/services/ledger.md\n+++ b/services/ledger.md\n@@ -1,2 +1,2 @@\n # ledger\n-Keeps the books.\n+Keeps the books, twice.\n',
    changed: ['services/ledger.md'],
    stale: [],
    ...overrides,
  };
}
