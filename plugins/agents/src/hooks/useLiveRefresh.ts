import {
  AGENTS_SIGNAL_CHANNEL,
  AGENTS_SIGNALLED_KINDS,
  AgentsChangeSignal,
} from '@krate/plugin-agents-common';
import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * A kind whose changes the backend signals. Review artifacts are signalled on the same channel
 * since write-back, before the shared list names them.
 */
export type SignalledKind =
  | (typeof AGENTS_SIGNALLED_KINDS)[number]
  | 'AgentReviewArtifact';

/** Which change signals a view cares about. */
export interface LiveRefreshFilter {
  kinds: readonly SignalledKind[];
  /** Narrows to some objects (e.g. one run and its attempts); every object of the kinds when omitted. */
  matches?: (signal: AgentsChangeSignal) => boolean;
}

/** Signals come from the network: only well-formed ones count. */
function isChangeSignal(message: unknown): message is AgentsChangeSignal {
  const m = message as Partial<AgentsChangeSignal> | null;
  return (
    typeof m?.kind === 'string' &&
    typeof m.namespace === 'string' &&
    typeof m.name === 'string'
  );
}

/** Matches one object by namespace and name. */
export const isObject =
  (namespace: string | undefined, name: string) =>
  (signal: AgentsChangeSignal) =>
    signal.namespace === namespace && signal.name === name;

/** Matches every object of one namespace (org). */
export const inNamespace =
  (namespace: string) => (signal: AgentsChangeSignal) =>
    signal.namespace === namespace;

/**
 * Matches a run and what it owns: attempts are named `<run>-<n>` and approvals `<run>-ap-<id>`.
 * Run names are unique across orgs, so the namespace is not needed.
 */
export const ofRun = (run: string) => (signal: AgentsChangeSignal) =>
  signal.name === run || signal.name.startsWith(`${run}-`);

/**
 * Calls `refresh` when the backend signals a change the filter selects on the agents channel.
 * Signals arriving within `debounceMs` of the first one coalesce into one refresh, so a burst of
 * changes (a run moving through its phases) costs one read. Every message is looked at as it
 * arrives: a burst delivers several at once, and only keeping the last one (as `useSignal` does)
 * would miss a matching change followed by another kind's. Without a signals API in the app it
 * does nothing and says so: the caller keeps polling.
 */
export function useLiveRefresh(
  refresh: () => void,
  filter: LiveRefreshFilter,
  debounceMs = 250,
): { signalsAvailable: boolean } {
  const signals = useApiHolder().get(signalApiRef);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const filterRef = useRef(filter);
  filterRef.current = filter;

  useEffect(() => {
    if (!signals) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const { unsubscribe } = signals.subscribe(
      AGENTS_SIGNAL_CHANNEL,
      message => {
        if (!isChangeSignal(message)) return;
        const { kinds, matches } = filterRef.current;
        if (!(kinds as readonly string[]).includes(message.kind)) return;
        if (matches && !matches(message)) return;
        if (timer) return;
        timer = setTimeout(() => {
          timer = undefined;
          refreshRef.current();
        }, debounceMs);
      },
    );
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [signals, debounceMs]);

  return { signalsAvailable: Boolean(signals) };
}
