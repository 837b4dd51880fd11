import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** @public */
export interface PollingState<T> {
  value?: T;
  /** The last failure; the previous value stays, marked stale by the caller. */
  error?: Error;
  /** True until the first answer (or failure) for the current dependencies. */
  loading: boolean;
  /** When the value was last read. */
  updatedAt?: number;
  /** Reads again now (after the read in flight, if any). */
  refresh: () => void;
}

/**
 * Loads a value and reads it again every `intervalMs` (not at all when undefined), keeping
 * the last value through failures so a live view degrades to a stale one instead of a blank.
 * Reads never overlap and a refresh never discards a read in flight, so frequent refreshes
 * still deliver. Changing a dependency starts over.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  intervalMs?: number,
): PollingState<T> {
  const [state, setState] = useState<Omit<PollingState<T>, 'refresh'>>({
    loading: true,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  const intervalRef = useRef(intervalMs);
  const triggerRef = useRef<() => void>();
  const refresh = useCallback(() => triggerRef.current?.(), []);

  useEffect(() => {
    let cancelled = false;
    let inFlight = false;
    let again = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState({ loading: true });

    const read = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      if (timer) clearTimeout(timer);
      try {
        const value = await loadRef.current();
        if (!cancelled) {
          setState({ value, loading: false, updatedAt: Date.now() });
        }
      } catch (error) {
        if (!cancelled) {
          setState(previous => ({
            ...previous,
            error: error as Error,
            loading: false,
          }));
        }
      } finally {
        inFlight = false;
        if (!cancelled) {
          if (again) {
            again = false;
            read();
          } else if (intervalRef.current !== undefined) {
            timer = setTimeout(read, intervalRef.current);
          }
        }
      }
    };
    triggerRef.current = read;
    read();
    return () => {
      cancelled = true;
      triggerRef.current = undefined;
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    if (intervalRef.current !== intervalMs) {
      intervalRef.current = intervalMs;
      triggerRef.current?.();
    }
  }, [intervalMs]);

  return { ...state, refresh };
}
