import { Condition } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { formatTime } from '../../lib/format';

/** A condition's severity: a false Ready or any Invalid is an error, a Warning a warning. */
function severityOf(condition: Condition) {
  if (condition.type === 'Ready') {
    return condition.status === 'True' ? 'success' : 'error';
  }
  if (condition.type === 'Invalid') return 'error';
  return condition.type === 'Warning' ? 'warning' : 'info';
}

/** What a controller concluded about an object, one alert per condition with its reason. */
export const ConditionList = ({
  conditions = [],
  empty,
}: {
  conditions?: Condition[];
  /** What to say when no controller has set any. */
  empty: string;
}) =>
  conditions.length ? (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {conditions.map(condition => (
        <Alert
          key={`${condition.type}/${condition.reason}`}
          severity={severityOf(condition)}
          aria-label={`Condition ${condition.type}`}
        >
          <strong>
            {condition.type} {condition.status} · {condition.reason}
          </strong>
          : {condition.message}
          <Typography variant="caption" display="block">
            since {formatTime(condition.lastTransitionTime)}
          </Typography>
        </Alert>
      ))}
    </Box>
  ) : (
    <Typography variant="body2" color="textSecondary">
      {empty}
    </Typography>
  );
