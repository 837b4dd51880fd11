import { useApi } from '@backstage/core-plugin-api';
import { RunEvent } from '@krate/plugin-agents-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { agentsApiRef } from '../api';

/**
 * `connecting` before the first answer; `connected` while the stream (or the polling fallback)
 * delivers; `stale` when a connected stream has sent nothing, not even a heartbeat, for a while;
 * `reconnecting` after a drop, resuming from the last seq seen; `disconnected` after repeated
 * failures (it keeps retrying, slower); `complete` once the run has ended and every event is in.
 */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'stale'
  | 'reconnecting'
  | 'disconnected'
  | 'complete';

export interface RunEventsState {
  events: RunEvent[];
  connection: ConnectionState;
  /** `stream` reads server-sent events; `poll` reads the JSON log every second. */
  mode: 'stream' | 'poll';
  lastSeq: number;
  /** Why the last connection failed. */
  error?: Error;
  /** Consecutive failures so far. */
  failures: number;
  /** The run phase the stream reported when it ended. */
  endPhase?: string;
  /** Connects again now, from the last seq seen. */
  reconnect: () => void;
}

export interface RunEventsOptions {
  namespace?: string;
  /** Whether the run has finished, for the polling fallback (the stream says so itself). */
  finished?: boolean;
  pollIntervalMs?: number;
  /** A stream silent this long is marked stale; the server heartbeats every 15s. */
  staleAfterMs?: number;
  /** Failures after which the state says disconnected. */
  maxFailures?: number;
  /** Delay before the n-th retry. */
  backoffMs?: (failures: number) => number;
}

const defaultBackoff = (failures: number) =>
  Math.min(1000 * 2 ** (failures - 1), 15_000);

/** Resolves after `ms`, or at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A run's event log, live: the history and then new events over the server-sent event stream
 * (read through fetchApi so the Backstage token goes along), resuming after a drop from the
 * last seq seen, and falling back to polling the JSON log when streaming keeps failing.
 */
export function useRunEvents(
  run: string,
  options: RunEventsOptions = {},
): RunEventsState {
  const agentsApi = useApi(agentsApiRef);
  const {
    namespace,
    pollIntervalMs = 1000,
    staleAfterMs = 45_000,
    maxFailures = 4,
  } = options;
  const backoffRef = useRef(options.backoffMs ?? defaultBackoff);
  backoffRef.current = options.backoffMs ?? defaultBackoff;
  const finishedRef = useRef(options.finished);
  finishedRef.current = options.finished;

  const eventsRef = useRef<RunEvent[]>([]);
  const lastSeqRef = useRef(0);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [status, setStatus] = useState<
    Omit<RunEventsState, 'events' | 'reconnect' | 'lastSeq'>
  >({ connection: 'connecting', mode: 'stream', failures: 0 });
  const [generation, setGeneration] = useState(0);
  const reconnect = useCallback(() => setGeneration(g => g + 1), []);

  useEffect(() => {
    eventsRef.current = [];
    lastSeqRef.current = 0;
    setEvents([]);
  }, [run, namespace]);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let lastActivity = Date.now();
    let connected = false;

    // Events arrive one by one; render them in batches.
    const append = (incoming: RunEvent[]) => {
      const fresh = incoming.filter(e => e.seq > lastSeqRef.current);
      if (fresh.length === 0) return;
      lastSeqRef.current = fresh[fresh.length - 1].seq;
      eventsRef.current = [...eventsRef.current, ...fresh];
      if (!flushTimer) {
        flushTimer = setTimeout(() => {
          flushTimer = undefined;
          if (!signal.aborted) setEvents(eventsRef.current);
        }, 50);
      }
    };
    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = undefined;
      setEvents(eventsRef.current);
    };
    const update = (
      next: Partial<Omit<RunEventsState, 'events' | 'reconnect'>>,
    ) => {
      if (!signal.aborted) setStatus(previous => ({ ...previous, ...next }));
    };

    const staleTimer = setInterval(() => {
      if (!connected) return;
      const silent = Date.now() - lastActivity > staleAfterMs;
      setStatus(previous => {
        if (previous.connection === 'connected' && silent) {
          return { ...previous, connection: 'stale' };
        }
        if (previous.connection === 'stale' && !silent) {
          return { ...previous, connection: 'connected' };
        }
        return previous;
      });
    }, Math.min(5000, staleAfterMs / 2));

    const touch = () => {
      lastActivity = Date.now();
    };

    async function streamOnce(): Promise<boolean> {
      let delivered = false;
      const end = await agentsApi.streamRunEvents(run, {
        namespace,
        sinceSeq: lastSeqRef.current,
        signal,
        onOpen: () => {
          connected = true;
          touch();
          update({ connection: 'connected', error: undefined, failures: 0 });
        },
        onEvent: event => {
          delivered = true;
          append([event]);
        },
        onActivity: () => {
          touch();
          setStatus(previous =>
            previous.connection === 'stale'
              ? { ...previous, connection: 'connected' }
              : previous,
          );
        },
      });
      if (end && end.lastSeq <= lastSeqRef.current) {
        flush();
        update({ connection: 'complete', endPhase: end.phase ?? undefined });
        return true;
      }
      if (!end && !delivered) {
        throw new Error('The event stream closed without sending anything');
      }
      if (!end) {
        throw new Error('The event stream closed before the run ended');
      }
      return false;
    }

    async function pollOnce(): Promise<boolean> {
      const page = await agentsApi.getRunEvents(run, {
        namespace,
        sinceSeq: lastSeqRef.current,
      });
      connected = true;
      touch();
      append(page.items);
      update({ connection: 'connected', error: undefined, failures: 0 });
      if (
        page.nextSinceSeq === undefined &&
        finishedRef.current &&
        lastSeqRef.current >= page.lastSeq
      ) {
        flush();
        update({ connection: 'complete' });
        return true;
      }
      if (page.nextSinceSeq === undefined) {
        await sleep(pollIntervalMs, signal);
      }
      return false;
    }

    (async () => {
      let failures = 0;
      let streamFailuresWithoutData = 0;
      let mode: 'stream' | 'poll' = 'stream';
      update({
        connection: lastSeqRef.current > 0 ? 'reconnecting' : 'connecting',
        mode,
        failures: 0,
        error: undefined,
        endPhase: undefined,
      });
      while (!signal.aborted) {
        const seqBefore = lastSeqRef.current;
        try {
          const done =
            mode === 'stream' ? await streamOnce() : await pollOnce();
          failures = 0;
          if (done) return;
        } catch (error) {
          if (signal.aborted) return;
          connected = false;
          failures++;
          if (mode === 'stream') {
            streamFailuresWithoutData =
              lastSeqRef.current > seqBefore
                ? 0
                : streamFailuresWithoutData + 1;
            if (streamFailuresWithoutData >= 2) mode = 'poll';
          }
          update({
            connection:
              failures >= maxFailures ? 'disconnected' : 'reconnecting',
            mode,
            failures,
            error: error as Error,
          });
          await sleep(backoffRef.current(failures), signal);
          if (!signal.aborted) {
            update({
              connection:
                failures >= maxFailures ? 'disconnected' : 'reconnecting',
            });
          }
        }
      }
    })();

    return () => {
      controller.abort();
      clearInterval(staleTimer);
      if (flushTimer) clearTimeout(flushTimer);
    };
  }, [
    agentsApi,
    run,
    namespace,
    generation,
    pollIntervalMs,
    staleAfterMs,
    maxFailures,
  ]);

  const lastSeq = events.length ? events[events.length - 1].seq : 0;
  return { events, lastSeq, ...status, reconnect };
}
