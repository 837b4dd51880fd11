import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';

/** Why a stack cannot be dispatched, or undefined when it can. */
export function stackBlocker(stack: AgentStack): string | undefined {
  const readiness = stack.status?.readiness;
  if (readiness === 'Ready' || readiness === 'Warning') return undefined;
  if (!readiness)
    return 'Not reconciled yet: the stack controller has not checked it.';
  const conditions = stack.status?.conditions ?? [];
  const invalid =
    conditions.find(c => c.type === 'Invalid' && c.status === 'True') ??
    conditions.find(c => c.type === 'Ready' && c.status === 'False');
  return invalid?.message ?? 'The stack is Invalid.';
}

function warnings(stack: AgentStack): string[] {
  return (stack.status?.conditions ?? [])
    .filter(c => c.type === 'Warning' && c.status === 'True')
    .map(c => c.message);
}

export interface StackPickerProps {
  stacks: AgentStack[];
  value?: string;
  onChange: (name: string) => void;
  error?: string;
}

/** The org's stacks: Ready and Warning ones to pick, Invalid ones disabled with their reason. */
export const StackPicker = ({
  stacks,
  value,
  onChange,
  error,
}: StackPickerProps) => {
  const ordered = [...stacks].sort(
    (a, b) =>
      Number(Boolean(stackBlocker(a))) - Number(Boolean(stackBlocker(b))) ||
      a.metadata.name.localeCompare(b.metadata.name),
  );
  return (
    <Box>
      <FormLabel component="legend" error={Boolean(error)}>
        Stack
      </FormLabel>
      {stacks.length === 0 && (
        <Typography color="textSecondary">This org has no stacks.</Typography>
      )}
      <RadioGroup
        aria-label="Stack"
        name="stack"
        value={value ?? ''}
        onChange={e => onChange(e.target.value)}
      >
        {ordered.map(stack => {
          const blocker = stackBlocker(stack);
          const readiness = stack.status?.readiness ?? 'Unknown';
          const description = (stack.spec as { description?: string })
            .description;
          return (
            <Box key={stack.metadata.name} mb={1}>
              <FormControlLabel
                value={stack.metadata.name}
                disabled={Boolean(blocker)}
                control={<Radio color="primary" />}
                label={
                  <Box display="flex" alignItems="center" gridGap={8}>
                    <span style={{ whiteSpace: 'nowrap' }}>
                      {stack.metadata.name}
                    </span>
                    <Chip
                      size="small"
                      label={readiness}
                      color={readiness === 'Ready' ? 'primary' : 'default'}
                    />
                    <Typography variant="caption" color="textSecondary">
                      {stack.spec.runtime}
                      {description ? ` · ${description}` : ''}
                    </Typography>
                  </Box>
                }
              />
              {blocker && (
                <FormHelperText style={{ marginLeft: 32 }}>
                  {blocker}
                </FormHelperText>
              )}
              {warnings(stack).map(message => (
                <FormHelperText key={message} style={{ marginLeft: 32 }}>
                  Warning: {message}
                </FormHelperText>
              ))}
            </Box>
          );
        })}
      </RadioGroup>
      {error && <FormHelperText error>{error}</FormHelperText>}
    </Box>
  );
};
