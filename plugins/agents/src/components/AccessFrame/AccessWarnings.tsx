import { AccessWarning } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';

export interface AccessWarningsProps {
  /** The accessible name of the list. */
  label: string;
  warnings: AccessWarning[];
}

/** Warnings of an access read (missing grants, escalation, drift…), each with its object. */
export const AccessWarnings = ({ label, warnings }: AccessWarningsProps) =>
  warnings.length ? (
    <Box
      display="flex"
      flexDirection="column"
      gridGap={8}
      mb={2}
      role="list"
      aria-label={label}
    >
      {warnings.map(warning => (
        <Alert
          key={`${warning.reason}/${warning.object}/${warning.message}`}
          severity="warning"
          role="listitem"
        >
          <strong>{warning.reason}</strong>
          {warning.object && ` · ${warning.object}`}: {warning.message}
        </Alert>
      ))}
    </Box>
  ) : null;
