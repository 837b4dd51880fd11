import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentApproval } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { serverMessage, statusOf } from '../../lib/serverMessage';

export interface ApprovalCardProps {
  approval: AgentApproval;
  /** Called with the decided approval. */
  onDecided?: (approval: AgentApproval) => void;
  /** Hides the run link, e.g. on the run's own page. */
  hideRun?: boolean;
}

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <Box display="flex" gridGap={8}>
    <Typography variant="body2" color="textSecondary" style={{ minWidth: 96 }}>
      {label}
    </Typography>
    <Typography variant="body2" component="div">
      {children}
    </Typography>
  </Box>
);

const REFUSALS: Record<number, string> = {
  403: 'Not allowed',
  409: 'No longer pending',
};

/**
 * One human gate: what is asked, by whom, under which policy, until when; and, while it is
 * pending, approve or reject with a reason. A refusal shows the server's reason.
 */
export const ApprovalCard = ({
  approval,
  onDecided,
  hideRun,
}: ApprovalCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ title: string; message: string }>();
  const { spec, status = {} } = approval;
  const { name, namespace } = approval.metadata;
  const state = status.state ?? 'pending';

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const decided = await agentsApi.decideApproval(
        name,
        { decision, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        { namespace },
      );
      onDecided?.(decided);
    } catch (error) {
      const code = statusOf(error);
      setRefusal({
        title: (code && REFUSALS[code]) || 'The decision failed',
        message: serverMessage(error),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card variant="outlined" aria-label={`Approval ${name}`} role="article">
      <CardContent>
        <Box display="flex" alignItems="center" gridGap={8} mb={1}>
          <Chip size="small" label={spec.actionClass} color="primary" />
          <Typography variant="subtitle1" style={{ wordBreak: 'break-word' }}>
            {spec.target}
          </Typography>
          <Box flexGrow={1} />
          <Chip
            size="small"
            label={state}
            color={state === 'pending' ? 'secondary' : 'default'}
            aria-label={`State ${state}`}
          />
        </Box>
        <Field label="Asked by">{spec.requester}</Field>
        <Field label="Policy">{spec.policySource}</Field>
        {spec.toolName && <Field label="Tool">{spec.toolName}</Field>}
        {!hideRun && spec.run && (
          <Field label="Run">
            <Link to={paths.run(spec.run)}>{spec.run}</Link>
            {spec.repository ? ` · ${spec.repository}` : ''}
          </Field>
        )}
        <Field label="Org">{namespace}</Field>
        {state === 'pending' ? (
          <Field label="Expires">{formatTime(status.expiresAt)}</Field>
        ) : (
          <Field label="Decided">
            {state}
            {status.decidedBy ? ` by ${status.decidedBy}` : ''}
            {status.decisionTime
              ? ` at ${formatTime(status.decisionTime)}`
              : ''}
            {status.reason ? `: ${status.reason}` : ''}
          </Field>
        )}
        {spec.requesterMayApprove && state === 'pending' && (
          <Typography variant="caption" color="textSecondary">
            The stack lets the requester decide their own request.
          </Typography>
        )}
        {refusal && (
          <Alert severity="error" style={{ marginTop: 8 }}>
            <strong>{refusal.title}:</strong> {refusal.message}
          </Alert>
        )}
      </CardContent>
      {state === 'pending' && (
        <CardActions>
          <TextField
            label="Reason"
            size="small"
            variant="outlined"
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ maxLength: 4096, 'aria-label': `Reason for ${name}` }}
            style={{ flexGrow: 1 }}
          />
          <Button
            variant="contained"
            color="primary"
            disabled={busy}
            onClick={() => decide('approve')}
          >
            Approve
          </Button>
          <Button
            variant="outlined"
            disabled={busy}
            onClick={() => decide('reject')}
          >
            Reject
          </Button>
        </CardActions>
      )}
    </Card>
  );
};
