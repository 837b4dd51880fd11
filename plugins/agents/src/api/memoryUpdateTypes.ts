import {
  AgentMemoryUpdate,
  MEMORY_UPDATE_PHASES,
  MemoryQuery,
  MemorySelection,
  ResolvedMemory,
} from '@krate/plugin-agents-common';
import { MemoryAt, MemoryResolvedCommit } from './memoryTypes';

/** A phase of a proposed memory update. @public */
export type MemoryUpdatePhase = (typeof MEMORY_UPDATE_PHASES)[number];

/** `GET /memory/updates` filters. @public */
export interface MemoryUpdateListFilters {
  /** One phase, or several comma-separated. */
  phase?: string;
  limit?: number;
  continue?: string;
}

/** `GET /memory/updates`: the proposals the caller may see, and how many were left out. @public */
export interface MemoryUpdateList {
  items: AgentMemoryUpdate[];
  /** Proposals that touch records the caller may not see. */
  withheld: number;
  continue?: string;
}

/** One file a proposal writes; `content: null` deletes it. @public */
export interface MemoryFileChange {
  path: string;
  content: string | null;
}

/** `POST /memory/updates`. @public */
export interface MemoryUpdateProposal {
  org: string;
  title: string;
  description?: string;
  baseCommit?: string;
  changes?: MemoryFileChange[];
  patch?: string;
}

/** `POST /memory/updates/:org/:name/review`. @public */
export interface MemoryUpdateReview {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** A record whose sources changed after it was last reviewed. @public */
export interface StaleMemoryRecord {
  id: string;
  path: string;
  /** ISO date of the last review. */
  reviewed: string;
  /** The source that changed since. */
  source: string;
  changedAt: string;
  changeCommit: string;
}

/** Counts of open proposals by phase, part of `GET /memory`. @public */
export interface PendingMemoryUpdates {
  proposed: number;
  approved: number;
  conflict: number;
}

/** `POST /memory/preview`: what the queries would select at one point in time. @public */
export interface MemoryPreviewRequest extends MemoryAt {
  org: string;
  queries: MemoryQuery[];
}

/** One record or excerpt a memory query selected. @public */
export interface MemoryPreviewItem {
  path: string;
  id?: string;
  kind?: string;
  title?: string;
  line?: number;
  excerpt?: string;
}

/** @public */
export interface MemoryPreview {
  resolved: MemoryResolvedCommit;
  results: {
    query: MemoryQuery;
    items: MemoryPreviewItem[];
    withheld: number;
  }[];
  stale: StaleMemoryRecord[];
}

/** One memory part of a run's context bundle. @public */
export interface RunMemoryPart {
  kind: 'memory';
  content: string;
  provenance: { source: string; ref: string };
  redactions?: number;
}

/** `GET /runs/:namespace/:name/memory`: the memory a run read, and how it differs from now. @public */
export interface RunMemory {
  snapshot: ResolvedMemory | null;
  selection?: MemorySelection;
  parts?: RunMemoryPart[];
  current?: { commit: string };
  /** Unified diff of the selected files from the snapshot to the current commit. */
  diff?: string;
  changed?: string[];
  stale?: StaleMemoryRecord[];
}

/** A memory record that names a catalog entity or its repository. @public */
export interface EntityMemoryRecord {
  org: string;
  id: string;
  kind: string;
  title: string;
  path: string;
  commit: string;
}
