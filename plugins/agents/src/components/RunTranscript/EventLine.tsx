import { RunEvent } from '@krate/plugin-agents-common';
import { ReactNode } from 'react';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import { formatCost } from '../../lib/format';
import { DiffViewer } from '../DiffViewer';
import { RunPhaseChip } from '../RunPhaseChip';
import { Json } from './Json';

const Line = ({ children }: { children: ReactNode }) => (
  <Typography variant="body2" color="textSecondary" paragraph>
    {children}
  </Typography>
);

const CHANGE_VERBS = {
  create: 'Created',
  write: 'Wrote',
  delete: 'Deleted',
  patch: 'Patched',
};

export interface EventLineProps {
  event: RunEvent;
  /** A phase a later phase replaced: shown as history, without a live status. */
  superseded?: boolean;
}

/** One event that stands on its own: policy, approvals, phases, artifacts, gaps, problems. */
export const EventLine = ({ event, superseded }: EventLineProps) => {
  switch (event.type) {
    case 'policy_decision':
      return (
        <Line>
          Policy {event.decision === 'allow' ? 'allowed' : 'denied'}{' '}
          {event.actionClass} on <code>{event.target}</code>: {event.reason}
        </Line>
      );
    case 'approval_requested':
      return (
        <Alert severity="info" style={{ marginBottom: 8 }}>
          Approval requested: {event.actionClass} on {event.target} (
          {event.policySource}) — {event.approval}
        </Alert>
      );
    case 'approval_decided':
      return (
        <Alert
          severity={event.decision === 'approved' ? 'success' : 'warning'}
          style={{ marginBottom: 8 }}
        >
          Approval {event.approval} {event.decision}
          {event.decidedBy ? ` by ${event.decidedBy}` : ''}
          {event.reason ? `: ${event.reason}` : ''}
        </Alert>
      );
    case 'cost':
      return <Line>Cost {formatCost(event)}</Line>;
    case 'session_started':
      return (
        <Line>
          Session {event.sessionId} {event.resumed ? 'resumed' : 'started'}
        </Line>
      );
    case 'session_ended':
      return (
        <Line>
          Session ended
          {event.turnCount !== undefined
            ? ` after ${event.turnCount} turns`
            : ''}
        </Line>
      );
    case 'attempt_phase':
      if (superseded) {
        return (
          <Line>
            <span aria-label={`Earlier phase ${event.phase}`}>
              Was {event.phase}
              {event.reason && event.reason !== event.phase
                ? ` · ${event.reason}`
                : ''}
            </span>
            {event.message ? ` — ${event.message}` : ''}
          </Line>
        );
      }
      return (
        <Box display="flex" alignItems="baseline" gridGap={8} mb={1}>
          <RunPhaseChip phase={event.phase} reason={event.reason} />
          {event.message && (
            <Typography variant="body2" color="textSecondary">
              {event.message}
            </Typography>
          )}
        </Box>
      );
    case 'artifact':
      return (
        <Line>
          Artifact <strong>{event.name}</strong> ({event.artifactKind}
          {event.byteCount !== undefined ? `, ${event.byteCount} bytes` : ''})
        </Line>
      );
    case 'events_lost':
      return (
        <Alert severity="warning" role="alert" style={{ marginBottom: 8 }}>
          {event.count} events lost
          {event.fromSeq !== undefined
            ? ` (runtime seq ${event.fromSeq}–${event.toSeq ?? '?'})`
            : ''}
          : {event.reason}
        </Alert>
      );
    case 'warning':
      return (
        <Alert severity="warning" style={{ marginBottom: 8 }}>
          {event.code ? `${event.code}: ` : ''}
          {event.message}
        </Alert>
      );
    case 'error':
      return (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          {event.code ? `${event.code}: ` : ''}
          {event.message}
        </Alert>
      );
    case 'file_read':
      return (
        <Line>
          Read <code>{event.path}</code>
        </Line>
      );
    case 'file_change':
      if (!event.diff) {
        return (
          <Line>
            {CHANGE_VERBS[event.change]} <code>{event.path}</code>
            {event.byteCount !== undefined ? ` (${event.byteCount} bytes)` : ''}
          </Line>
        );
      }
      return (
        <Accordion TransitionProps={{ unmountOnExit: true }} variant="outlined">
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-label={`File change ${event.path}`}
          >
            <Typography variant="body2">
              {CHANGE_VERBS[event.change]} <code>{event.path}</code>
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Box width="100%" minWidth={0}>
              <DiffViewer diff={event.diff} title={`Diff of ${event.path}`} />
            </Box>
          </AccordionDetails>
        </Accordion>
      );
    case 'runtime_event':
      return (
        <Accordion TransitionProps={{ unmountOnExit: true }} variant="outlined">
          <AccordionSummary expandIcon={<ExpandMoreIcon />}>
            <Typography variant="body2" color="textSecondary">
              Runtime event {event.runtimeType}
            </Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Json value={event.data ?? null} />
          </AccordionDetails>
        </Accordion>
      );
    default:
      return <Json value={event} />;
  }
};
