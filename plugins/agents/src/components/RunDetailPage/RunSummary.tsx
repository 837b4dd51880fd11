import { InfoCard, Link } from '@backstage/core-components';
import {
  AgentDispatchRun,
  AgentSession,
  AWAITING_BUDGET_APPROVAL_REASON,
  BUDGET_EXCEEDED_REASON,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatCost, formatDuration, formatTime } from '../../lib/format';
import { phaseMessage, RunPhaseChip } from '../RunPhaseChip';
import { DetailRow } from '../DetailRow';

function banner(run: AgentDispatchRun) {
  const { phase, reason, message } = run.status ?? {};
  if (reason === 'SessionBindingPending') {
    return (
      <Alert severity="info" aria-label="SessionBindingPending">
        Session binding pending: the run started but the runtime has not
        reported its session yet. If it stays pending, cancel the run and retry
        it from the actions above.{message ? ` ${message}` : ''}
      </Alert>
    );
  }
  if (reason === 'ApprovalBlocked') {
    return (
      <Alert severity="warning" aria-label="ApprovalBlocked">
        Approval blocked: the run waits for a human decision. {message}
      </Alert>
    );
  }
  if (reason === AWAITING_BUDGET_APPROVAL_REASON) {
    return (
      <Alert severity="warning" aria-label={reason}>
        Waiting for a budget approval: this run would go over a budget, so it
        starts only once someone approves it.{message ? ` ${message}` : ''}
      </Alert>
    );
  }
  if (reason === BUDGET_EXCEEDED_REASON) {
    return (
      <Alert severity="error" aria-label={reason}>
        Stopped by a budget: the run crossed a budget's hard cap; what it spent
        until then is recorded.{message ? ` ${message}` : ''}
      </Alert>
    );
  }
  if (phase === 'Failed') {
    return (
      <Alert severity="error">
        {reason}: {message}
      </Alert>
    );
  }
  return undefined;
}

export interface RunSummaryProps {
  run: AgentDispatchRun;
  session?: AgentSession;
  /** The workspace the run works in: its own, or the current attempt's. */
  workspace?: string;
}

/** The run at a glance, with links to everything it came from and runs with. */
export const RunSummary = ({ run, session, workspace }: RunSummaryProps) => {
  const paths = useAgentsPaths();
  const { spec, status = {} } = run;
  const source = spec.source;
  return (
    <InfoCard title="Run">
      <Box display="flex" alignItems="center" gridGap={16} mb={1}>
        <RunPhaseChip phase={status.phase} reason={status.reason} />
        {phaseMessage(status) && !banner(run) && (
          <Typography variant="body2" color="textSecondary">
            {phaseMessage(status)}
          </Typography>
        )}
      </Box>
      {banner(run)}
      <Box mt={1}>
        <DetailRow label="Prompt">
          <span style={{ whiteSpace: 'pre-wrap' }}>{spec.prompt}</span>
        </DetailRow>
        <DetailRow label="Stack">
          <Link to={paths.stack(run.metadata.namespace, spec.stack)}>
            {spec.stack}
          </Link>
          {status.profileDigest && (
            <Typography variant="caption" color="textSecondary" display="block">
              launch profile{' '}
              <code title={status.profileDigest}>
                {status.profileDigest.slice(0, 19)}…
              </code>
            </Typography>
          )}
        </DetailRow>
        <DetailRow label="Repository">
          {spec.repository ? (
            <Link to={paths.runs({ repository: spec.repository })}>
              {spec.repository}
            </Link>
          ) : (
            '—'
          )}
          {spec.ref ? ` @ ${spec.ref}` : ''}
        </DetailRow>
        <DetailRow label="Workspace">
          {workspace ? (
            <Link to={paths.workspace(run.metadata.namespace, workspace)}>
              {workspace}
            </Link>
          ) : (
            'the run’s own working directory'
          )}
        </DetailRow>
        <DetailRow label="Session">
          {session ? (
            <Link
              to={paths.session(
                session.metadata.namespace,
                session.metadata.name,
              )}
              aria-label="Session page"
            >
              {status.session ?? 'not bound yet'}
            </Link>
          ) : (
            status.session ?? 'not bound yet'
          )}
          {session?.status?.state && (
            <Chip
              size="small"
              label={session.status.state}
              style={{ marginLeft: 8 }}
            />
          )}
          {run.spec.continuesSession && (
            <>
              {' '}
              (continues{' '}
              <Link
                to={paths.session(
                  run.metadata.namespace,
                  run.spec.continuesSession,
                )}
                aria-label="Continued session"
              >
                {run.spec.continuesSession}
              </Link>
              )
            </>
          )}
        </DetailRow>
        <DetailRow label="Source">
          {source ? (
            <>
              {source.kind}
              {source.name ? ` ${source.name}` : ''}
              {source.url && (
                <>
                  {' '}
                  <Link to={source.url}>open</Link>
                </>
              )}
            </>
          ) : (
            '—'
          )}
        </DetailRow>
        <DetailRow label="Requested by">{spec.requestedBy ?? '—'}</DetailRow>
        {spec.contextLabels?.length ? (
          <DetailRow label="Context labels">
            {spec.contextLabels.map(label => (
              <Chip
                key={label}
                size="small"
                label={label}
                style={{ marginRight: 4 }}
              />
            ))}
          </DetailRow>
        ) : null}
        <DetailRow label="Runtime">{status.runtime ?? '—'}</DetailRow>
        <DetailRow label="Attempt">{status.currentAttempt ?? '—'}</DetailRow>
        <DetailRow label="Timing">
          started {formatTime(status.startTime)}
          {status.completionTime
            ? ` · ended ${formatTime(status.completionTime)}`
            : ''}
          {' · '}
          {formatDuration(status.startTime, status.completionTime)}
        </DetailRow>
        <DetailRow label="Cost">{formatCost(status.cost)}</DetailRow>
      </Box>
    </InfoCard>
  );
};
