import { InfoCard, Link } from '@backstage/core-components';
import { AgentDispatchAttempt } from '@krate/plugin-agents-common';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatDuration, formatTime } from '../../lib/format';
import { RunPhaseChip } from '../RunPhaseChip';

export interface SessionAttemptsProps {
  namespace: string;
  attempts: AgentDispatchAttempt[];
}

/** The attempts that worked in the session, in order, each with its run, phase and duration. */
export const SessionAttempts = ({
  namespace,
  attempts,
}: SessionAttemptsProps) => {
  const paths = useAgentsPaths();
  return (
    <InfoCard title="Attempts">
      {attempts.length === 0 ? (
        <Typography color="textSecondary">No attempts recorded yet.</Typography>
      ) : (
        <ol
          aria-label="Session attempts"
          style={{ margin: 0, paddingLeft: 20 }}
        >
          {attempts.map(attempt => {
            const { spec, status = {} } = attempt;
            return (
              <li
                key={attempt.metadata.name}
                aria-label={`Attempt ${attempt.metadata.name}`}
                style={{ marginBottom: 12 }}
              >
                <Typography variant="body2" component="div">
                  <strong>{attempt.metadata.name}</strong> ({spec.kind}) of run{' '}
                  <Link to={paths.run(spec.run, namespace)}>{spec.run}</Link>
                </Typography>
                <RunPhaseChip phase={status.phase} reason={status.reason} />
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
                  started {formatTime(status.startTime)} ·{' '}
                  {formatDuration(status.startTime, status.completionTime)}
                </Typography>
              </li>
            );
          })}
        </ol>
      )}
    </InfoCard>
  );
};
