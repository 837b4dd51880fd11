import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { AgentApproval } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
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
import { VOID_LABEL, voidReason } from '../../lib/writeBackText';
import { GatedButton } from '../GatedButton';
import { useBoundArtifact } from './useBoundArtifact';
import { WriteBackBinding } from './WriteBackBinding';

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
 * pending, approve or reject with a reason. A refusal shows the server's reason. A write-back
 * approval also shows the operation and exact diff it approves and its N-of-M approvals, and
 * cannot be approved once that diff was superseded.
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
  const bound = useBoundArtifact(approval);
  const binding = spec.binding;
  const voided = voidReason(approval, bound.value);
  const decidable = state === 'pending' || state === 'void';

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
      // A write-back approval refused as void: the artifact has probably moved on.
      if (code === 409) bound.refresh();
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
            label={state === 'void' && binding ? VOID_LABEL : state}
            color={state === 'pending' ? 'secondary' : 'default'}
            variant={state === 'void' ? 'outlined' : 'default'}
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
        {binding && (
          <WriteBackBinding
            approval={approval}
            artifact={bound.value}
            artifactError={bound.value ? undefined : bound.error}
            voided={voided}
            field={(label, children) => <Field label={label}>{children}</Field>}
          />
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
      {decidable && (
        <CardActions>
          {state === 'pending' ? (
            <TextField
              label="Reason"
              size="small"
              variant="outlined"
              value={reason}
              onChange={e => setReason(e.target.value)}
              inputProps={{
                maxLength: 4096,
                'aria-label': `Reason for ${name}`,
              }}
              style={{ flexGrow: 1 }}
            />
          ) : (
            <Box flexGrow={1} />
          )}
          <GatedButton
            variant="contained"
            color="primary"
            disabled={busy}
            reason={voided}
            onClick={() => decide('approve')}
          >
            Approve
          </GatedButton>
          <GatedButton
            variant="outlined"
            disabled={busy}
            reason={state === 'void' ? voided : undefined}
            onClick={() => decide('reject')}
          >
            Reject
          </GatedButton>
        </CardActions>
      )}
    </Card>
  );
};
