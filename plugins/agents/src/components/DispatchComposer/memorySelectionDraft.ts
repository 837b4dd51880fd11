import { MemoryQuery, MemorySelection } from '@krate/plugin-agents-common';
import { MemoryAt } from '../../api';
import { fromUtcInput } from '../MemoryTimeTravel/utcInput';

export type PointMode = 'current' | 'ref' | 'tag' | 'at';

/** A query as the editor holds it: text fields, some empty while they are being written. */
export type QueryDraft =
  | {
      type: 'search';
      pattern: string;
      regex: boolean;
      ignoreCase: boolean;
      kinds: string;
    }
  | { type: 'graph'; around: string; depth: number; kinds: string }
  | { type: 'record'; id: string };

/** What the composer's memory panel holds. `org` is empty for the composer's org. */
export interface MemoryDraft {
  /** `none`: no memory beyond the stack's. */
  source: 'default' | 'none' | 'org';
  org: string;
  mode: PointMode;
  /** A ref or tag, or a datetime-local value (read as UTC) for `at`. */
  value: string;
  queries: QueryDraft[];
}

export const EMPTY_DRAFT: MemoryDraft = {
  source: 'default',
  org: '',
  mode: 'current',
  value: '',
  queries: [],
};

const list = (text: string) =>
  text
    .split(',')
    .map(item => item.trim())
    .filter(Boolean);

/** The query a draft stands for, or undefined while it is incomplete. */
export function queryOf(draft: QueryDraft): MemoryQuery | undefined {
  if (draft.type === 'search') {
    if (!draft.pattern.trim()) return undefined;
    const kinds = list(draft.kinds);
    return {
      type: 'search',
      pattern: draft.pattern,
      ...(draft.regex ? { regex: true } : {}),
      ...(draft.ignoreCase ? { ignoreCase: true } : {}),
      ...(kinds.length ? { kinds } : {}),
    };
  }
  if (draft.type === 'graph') {
    const kinds = list(draft.kinds);
    if (!draft.around.trim() && !kinds.length) return undefined;
    return {
      type: 'graph',
      ...(draft.around.trim()
        ? { around: draft.around.trim(), depth: draft.depth }
        : {}),
      ...(kinds.length ? { kinds } : {}),
    };
  }
  return draft.id.trim() ? { type: 'record', id: draft.id.trim() } : undefined;
}

/** The point in time a draft names; empty for the branch head. */
export function pointOf(draft: MemoryDraft): MemoryAt {
  const value = draft.value.trim();
  if (draft.mode === 'current' || !value) return {};
  return { [draft.mode]: draft.mode === 'at' ? fromUtcInput(value) : value };
}

/** The org whose memory the draft reads, or undefined for none. */
export function orgOf(
  draft: MemoryDraft,
  namespace: string,
): string | undefined {
  if (draft.source === 'none') return undefined;
  return draft.source === 'org' && draft.org
    ? draft.org
    : namespace || undefined;
}

/**
 * The `memory` of the dispatch request: only what the user set, so that a composer left alone
 * sends none and the stack's memory applies as it is.
 */
export function selectionOf(
  draft: MemoryDraft,
  namespace: string,
): MemorySelection | undefined {
  if (draft.source === 'none') return undefined;
  const queries = draft.queries
    .map(queryOf)
    .filter((q): q is MemoryQuery => Boolean(q));
  const selection: MemorySelection = {
    ...(draft.source === 'org' && draft.org && draft.org !== namespace
      ? { org: draft.org }
      : {}),
    ...pointOf(draft),
    ...(queries.length ? { queries } : {}),
  };
  return Object.keys(selection).length ? selection : undefined;
}
