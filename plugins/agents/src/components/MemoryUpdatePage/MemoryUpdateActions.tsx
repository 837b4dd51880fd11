import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentMemoryUpdate,
  memoryReviewPermission,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';
import { memoryResourceRef, OPEN_PHASES } from '../MemoryUpdatesPage';

const REFUSALS: Record<number, string> = {
  400: 'Refused',
  403: 'Not allowed',
  409: 'Conflict',
};

type Action = 'approve' | 'reject' | 'merge';

/**
 * Review of a proposal: approve or reject with a comment while it is open, merge once approved.
 * The backend decides who may (a proposer may not approve their own); its refusal is shown.
 */
export const MemoryUpdateActions = ({
  update,
  onChanged,
}: {
  update: AgentMemoryUpdate;
  onChanged: (update: AgentMemoryUpdate) => void;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace: org } = update.metadata;
  const phase = update.status?.phase ?? 'Proposed';
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ title: string; message: string }>();
  const forbidden = usePermissionGate(
    memoryReviewPermission,
    memoryResourceRef(org),
    `review updates to the memory of ${org}`,
  );

  const act = async (action: Action) => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const changed =
        action === 'merge'
          ? await agentsApi.mergeMemoryUpdate(org, name)
          : await agentsApi.reviewMemoryUpdate(org, name, {
              decision: action,
              ...(comment.trim() ? { comment: comment.trim() } : {}),
            });
      setComment('');
      onChanged(changed);
    } catch (error) {
      const code = statusOf(error);
      setRefusal({
        title: (code && REFUSALS[code]) || `Could not ${action}`,
        message: serverMessage(error),
      });
    } finally {
      setBusy(false);
    }
  };

  // Merged and rejected proposals are final.
  if (!OPEN_PHASES.includes(phase)) return null;
  return (
    <InfoCard title="Review">
      <Box display="flex" flexDirection="column" gridGap={16}>
        <TextField
          id="memory-update-comment"
          label="Comment"
          size="small"
          variant="outlined"
          multiline
          value={comment}
          inputProps={{ maxLength: 5000 }}
          onChange={e => setComment(e.target.value)}
        />
        <Box display="flex" gridGap={8} flexWrap="wrap">
          {phase === 'Proposed' && (
            <GatedButton
              variant="contained"
              color="primary"
              disabled={busy}
              reason={forbidden}
              onClick={() => act('approve')}
            >
              Approve
            </GatedButton>
          )}
          <GatedButton
            variant="outlined"
            disabled={busy}
            reason={forbidden}
            onClick={() => act('reject')}
          >
            Reject
          </GatedButton>
          {phase === 'Approved' && (
            <GatedButton
              variant="contained"
              color="primary"
              disabled={busy}
              reason={forbidden}
              hint="Commit the patch to the memory, authored by you"
              onClick={() => act('merge')}
            >
              Merge
            </GatedButton>
          )}
        </Box>
        {forbidden && (
          <Typography variant="body2" color="error">
            {forbidden}
          </Typography>
        )}
        {phase === 'Conflict' && (
          <Typography variant="body2" color="textSecondary">
            The patch no longer applies to the memory; reject it and propose it
            again against the current commit.
          </Typography>
        )}
        {refusal && (
          <Alert severity="error">
            <strong>{refusal.title}:</strong> {refusal.message}
          </Alert>
        )}
      </Box>
    </InfoCard>
  );
};
