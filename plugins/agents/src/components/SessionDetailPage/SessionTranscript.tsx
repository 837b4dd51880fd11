import { AgentDispatchRun } from '@krate/plugin-agents-common';
import { useEffect, useMemo } from 'react';
import { useRunEvents } from '../../hooks/useRunEvents';
import { isTerminal } from '../../lib/format';
import { RunTranscript } from '../RunTranscript';

export interface SessionTranscriptProps {
  run: AgentDispatchRun;
  /** The run's attempts that worked in the session: only their events are shown. */
  attempts: string[];
}

/** The session's part of one run's transcript, live. */
export const SessionTranscript = ({
  run,
  attempts,
}: SessionTranscriptProps) => {
  const { name, namespace } = run.metadata;
  const finished = isTerminal(run.status?.phase);
  const state = useRunEvents(name, { namespace, finished });

  // A continue starts a new attempt after the stream ended: follow it.
  const { connection, reconnect } = state;
  const currentAttempt = run.status?.currentAttempt;
  const lastAttempt = state.events[state.events.length - 1]?.attempt;
  useEffect(() => {
    if (
      connection === 'complete' &&
      currentAttempt &&
      lastAttempt &&
      lastAttempt !== currentAttempt
    ) {
      reconnect();
    }
  }, [connection, reconnect, currentAttempt, lastAttempt]);

  const key = attempts.join(',');
  const shown = useMemo(() => {
    const wanted = new Set(key.split(','));
    return {
      ...state,
      events: state.events.filter(event => wanted.has(event.attempt)),
    };
  }, [state, key]);
  return <RunTranscript state={shown} />;
};
