import { InfoCard } from '@backstage/core-components';
import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatCost, formatDuration, formatTime } from '../../lib/format';
import { phaseMessage, RunPhaseChip } from '../RunPhaseChip';
import { AttemptPod } from './AttemptPod';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  attempt: {
    borderLeft: `3px solid ${theme.palette.divider}`,
    padding: theme.spacing(0, 0, 2, 2),
    position: 'relative',
  },
  current: { borderLeftColor: theme.palette.primary.main },
}));

export const attemptAnchor = (name: string) => `attempt-${name}`;

export interface AttemptsTimelineProps {
  attempts: AgentDispatchAttempt[];
  currentAttempt?: string;
}

/** The run's attempts oldest first, each linked to the attempt it retries, resumes, forks or continues. */
export const AttemptsTimeline = ({
  attempts,
  currentAttempt,
}: AttemptsTimelineProps) => {
  const classes = useStyles();
  const ordered = [...attempts].sort((a, b) =>
    (a.metadata.creationTimestamp ?? '').localeCompare(
      b.metadata.creationTimestamp ?? '',
    ),
  );
  return (
    <InfoCard title="Attempts">
      {ordered.length === 0 ? (
        <Typography color="textSecondary">
          No attempt has started yet.
        </Typography>
      ) : (
        <ol className={classes.list} aria-label="Attempts">
          {ordered.map(attempt => {
            const { name } = attempt.metadata;
            const { spec, status = {} } = attempt;
            return (
              <li
                key={name}
                id={attemptAnchor(name)}
                aria-label={`Attempt ${name}`}
                className={`${classes.attempt} ${
                  name === currentAttempt ? classes.current : ''
                }`}
              >
                <Box
                  display="flex"
                  alignItems="center"
                  gridGap={8}
                  flexWrap="wrap"
                >
                  <Typography variant="subtitle2">{name}</Typography>
                  <Chip size="small" label={spec.kind} />
                  <RunPhaseChip phase={status.phase} reason={status.reason} />
                </Box>
                {phaseMessage(status) && (
                  <Typography variant="body2" color="textSecondary">
                    {phaseMessage(status)}
                  </Typography>
                )}
                {spec.previousAttempt && (
                  <Typography variant="body2">
                    {spec.kind} of{' '}
                    <a href={`#${attemptAnchor(spec.previousAttempt)}`}>
                      {spec.previousAttempt}
                    </a>
                  </Typography>
                )}
                {spec.prompt && (
                  <Typography variant="body2">
                    Follow-up: {spec.prompt}
                  </Typography>
                )}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {spec.runtime} · started {formatTime(status.startTime)}
                  {status.completionTime
                    ? ` · ended ${formatTime(status.completionTime)}`
                    : ''}
                  {' · '}
                  {formatDuration(status.startTime, status.completionTime)}
                  {status.cost ? ` · ${formatCost(status.cost)}` : ''}
                </Typography>
                {status.sessionId && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    session {status.sessionId}
                  </Typography>
                )}
                {status.pod && <AttemptPod pod={status.pod} />}
              </li>
            );
          })}
        </ol>
      )}
    </InfoCard>
  );
};
