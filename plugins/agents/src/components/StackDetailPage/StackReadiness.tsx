import { InfoCard } from '@backstage/core-components';
import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { formatTime } from '../../lib/format';
import { useDraftEditor } from '../AccessFrame';
import { ReadinessFixes } from './ReadinessFixes';
import { FIXABLE_REASONS } from './useReadinessFixes';

const SEVERITY = {
  Ready: 'success',
  Warning: 'warning',
  Invalid: 'error',
} as const;

/**
 * What the stack controller concluded: readiness, and each condition with its reason; a missing
 * grant or service account comes with the action that prepares it.
 */
export const StackReadiness = ({ stack }: { stack: AgentStack }) => {
  const { readiness, conditions = [], observedGeneration } = stack.status ?? {};
  const generation = stack.metadata.generation;
  const outdated =
    generation !== undefined &&
    observedGeneration !== undefined &&
    observedGeneration < generation;
  // The Ready condition repeats the first problem's reason: its fix goes with the problem's own.
  const fixable = (condition: { type: string; reason: string }) =>
    FIXABLE_REASONS.includes(condition.reason) &&
    (condition.type !== 'Ready' ||
      !conditions.some(
        c => c.type !== 'Ready' && c.reason === condition.reason,
      ));
  // Here, not with the condition: applying the fix clears the condition, and the editor stays open
  // on what was applied.
  const editor = useDraftEditor();
  return (
    <InfoCard title="Readiness">
      <Box display="flex" alignItems="center" gridGap={8} mb={1}>
        <Chip
          label={readiness ?? 'Not reconciled'}
          aria-label={`Readiness ${readiness ?? 'Not reconciled'}`}
          color={readiness === 'Ready' ? 'primary' : 'default'}
        />
        {outdated && (
          <Typography variant="caption" color="textSecondary">
            The controller has not checked the latest change yet.
          </Typography>
        )}
      </Box>
      {!readiness && (
        <Typography variant="body2" color="textSecondary">
          The stack controller has not checked this stack yet; its readiness
          shows up here once it has.
        </Typography>
      )}
      <Box display="flex" flexDirection="column" gridGap={8}>
        {conditions.map(condition => (
          <Alert
            key={`${condition.type}/${condition.reason}`}
            severity={
              condition.type === 'Ready'
                ? SEVERITY[readiness ?? 'Ready']
                : SEVERITY[condition.type as keyof typeof SEVERITY] ?? 'info'
            }
            aria-label={`Condition ${condition.type}`}
          >
            <strong>
              {condition.type} {condition.status} · {condition.reason}
            </strong>
            : {condition.message}
            <Typography variant="caption" display="block">
              since {formatTime(condition.lastTransitionTime)}
            </Typography>
            {fixable(condition) && (
              <ReadinessFixes
                stack={stack}
                condition={condition}
                open={editor.open}
              />
            )}
          </Alert>
        ))}
      </Box>
      {editor.drawer}
    </InfoCard>
  );
};
