import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { MemoryAt } from '../../api';

/** The query parameters that choose the memory's point in time. */
export const POINT_PARAMS = ['ref', 'tag', 'at'] as const;

export type PointMode = 'current' | (typeof POINT_PARAMS)[number];

/** The point in time chosen in the URL (`?ref=`, `?tag=` or `?at=`); empty for the branch head. */
export function useMemoryPoint(): MemoryAt {
  const [searchParams] = useSearchParams();
  const ref = searchParams.get('ref') || undefined;
  const tag = searchParams.get('tag') || undefined;
  const at = searchParams.get('at') || undefined;
  return useMemo(() => ({ ref, tag, at }), [ref, tag, at]);
}

/** Which kind of point the URL chose, and its value. */
export function pointModeOf(point: MemoryAt): {
  mode: PointMode;
  value: string;
} {
  for (const mode of POINT_PARAMS) {
    const value = point[mode];
    if (value) return { mode, value };
  }
  return { mode: 'current', value: '' };
}
