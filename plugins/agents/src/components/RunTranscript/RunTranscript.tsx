import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo, useRef } from 'react';
import { RunEventsState } from '../../hooks/useRunEvents';
import { buildTranscript } from './buildTranscript';
import { ConnectionChip } from './ConnectionChip';
import { TranscriptItemView } from './TranscriptItemView';

export interface RunTranscriptProps {
  state: RunEventsState;
}

/**
 * The run's transcript: every attempt's events in order, tool calls collapsible with their
 * input, shell session and output, subagents in nested lanes, and lost events marked; with the
 * live connection's state always on show.
 */
export const RunTranscript = ({ state }: RunTranscriptProps) => {
  const items = useMemo(() => buildTranscript(state.events), [state.events]);
  const scroller = useRef<HTMLDivElement>(null);
  const following = useRef(true);

  useEffect(() => {
    const element = scroller.current;
    if (element && following.current) {
      element.scrollTop = element.scrollHeight;
    }
  }, [items]);

  return (
    <InfoCard
      title="Transcript"
      subheader={<ConnectionChip state={state} />}
      noPadding
    >
      <div
        ref={scroller}
        style={{ padding: '8px 16px', maxHeight: '70vh', overflow: 'auto' }}
        role="log"
        aria-label="Run transcript"
        aria-live="polite"
        onScroll={() => {
          const element = scroller.current;
          if (element) {
            following.current =
              element.scrollHeight - element.scrollTop - element.clientHeight <
              40;
          }
        }}
      >
        {items.length === 0 ? (
          <Typography color="textSecondary">
            {state.connection === 'connecting'
              ? 'Loading the transcript…'
              : 'No events yet. They appear here as the agent works.'}
          </Typography>
        ) : (
          items.map(item => <TranscriptItemView key={item.key} item={item} />)
        )}
      </div>
    </InfoCard>
  );
};
