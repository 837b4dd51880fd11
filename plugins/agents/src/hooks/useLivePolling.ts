import { DependencyList, useRef } from 'react';
import { PollingState, usePolling } from './usePolling';
import { LiveRefreshFilter, useLiveRefresh } from './useLiveRefresh';

/** How a view stays current: pushed change signals, or polling alone. */
export type LiveMode = 'signals' | 'polling';

export interface LivePollingOptions extends LiveRefreshFilter {
  /** The polling interval without signals (none when undefined: only signals refresh). */
  intervalMs?: number;
  /** The safety-net interval while signals deliver; a dropped signal is picked up by then. */
  signalIntervalMs?: number;
}

export interface LivePollingState<T> extends PollingState<T> {
  mode: LiveMode;
  /** The interval in effect, for the live indicator. */
  intervalMs?: number;
}

/** The safety-net poll while signals are available. */
export const SIGNAL_POLL_INTERVAL_MS = 30_000;

/**
 * {@link usePolling} that reads again as soon as the backend signals a matching change, and
 * polls only slowly then; without a signals API it polls at `intervalMs` as before.
 */
export function useLivePolling<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: LivePollingOptions,
): LivePollingState<T> {
  const { intervalMs, signalIntervalMs = SIGNAL_POLL_INTERVAL_MS } = options;
  const refreshRef = useRef<() => void>();
  const { signalsAvailable } = useLiveRefresh(
    () => refreshRef.current?.(),
    options,
  );
  const effective =
    intervalMs !== undefined && signalsAvailable
      ? Math.max(intervalMs, signalIntervalMs)
      : intervalMs;
  const state = usePolling(load, deps, effective);
  refreshRef.current = state.refresh;
  return {
    ...state,
    mode: signalsAvailable ? 'signals' : 'polling',
    intervalMs: effective,
  };
}
