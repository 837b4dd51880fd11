import { AuditChainVerification } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { serverMessage } from '../../lib/serverMessage';

export interface ChainStatusProps {
  org: string;
  verification: {
    loading: boolean;
    error?: unknown;
    value?: AuditChainVerification;
  };
  onVerify: () => void;
}

/** The answer of the org's chain verification, and a way to ask again. */
export const ChainStatus = ({
  org,
  verification,
  onVerify,
}: ChainStatusProps) => {
  const { loading, error, value } = verification;
  let status;
  if (loading) {
    status = (
      <Typography variant="body2" color="textSecondary">
        Verifying the audit chain of {org}…
      </Typography>
    );
  } else if (!error && !value) {
    status = (
      <Typography variant="body2" color="textSecondary">
        Not verified yet: verifying checks every audit record of {org}.
      </Typography>
    );
  } else if (error || !value) {
    status = (
      <Typography variant="body2" color="textSecondary">
        Chain not verified: {serverMessage(error)}
      </Typography>
    );
  } else if (value.ok) {
    status = (
      <Alert severity="success">
        Chain verified: {value.records}{' '}
        {value.records === 1 ? 'record' : 'records'} of {org}, none edited or
        missing.
      </Alert>
    );
  } else {
    status = (
      <Alert severity="error">
        Chain broken at seq {value.brokenAt.seq}: {value.brokenAt.message}
      </Alert>
    );
  }
  return (
    <Box
      role="status"
      aria-label="Audit chain"
      display="flex"
      alignItems="center"
      gridGap={8}
      mb={1}
    >
      <Box flexGrow={1}>{status}</Box>
      <Button size="small" onClick={onVerify} disabled={loading}>
        Verify chain
      </Button>
    </Box>
  );
};
