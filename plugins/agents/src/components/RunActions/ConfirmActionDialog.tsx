import { AgentDispatchRun } from '@krate/plugin-agents-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { RunAction } from '../../api';
import { ACTION_EFFECTS } from './actionRules';

const capitalized = (action: string) =>
  action.charAt(0).toUpperCase() + action.slice(1);

export interface ConfirmActionDialogProps {
  run: AgentDispatchRun;
  action: RunAction;
  /** The permission the server says the action needs. */
  permission?: string;
  onCancel: () => void;
  /** Performs the action; a rejection's message is shown and the dialog stays open. */
  onConfirm: (prompt?: string) => Promise<void>;
  /** The server's reason when it refused. */
  refusal?: string;
}

/**
 * Asks before acting on a run: names the resource, the action, the request it sends, the
 * permission it needs and what it will do; a continue takes its follow-up prompt here.
 */
export const ConfirmActionDialog = (props: ConfirmActionDialogProps) => {
  const { run, action, permission, refusal } = props;
  const { name, namespace } = run.metadata;
  const [prompt, setPrompt] = useState('');
  const [busy, setBusy] = useState(false);
  const needsPrompt = action === 'continue';
  const title = `${capitalized(action)} AgentDispatchRun ${namespace}/${name}?`;

  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm(needsPrompt ? prompt.trim() : undefined);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={props.onCancel}
      aria-labelledby="run-action-title"
      fullWidth
    >
      <DialogTitle id="run-action-title">{title}</DialogTitle>
      <DialogContent>
        <Typography paragraph>{ACTION_EFFECTS[action]}</Typography>
        <Typography variant="body2" color="textSecondary">
          Request:{' '}
          <code>
            POST /api/agents/runs/{name}/{action}?namespace={namespace}
          </code>
        </Typography>
        <Typography variant="body2" color="textSecondary" paragraph>
          {permission && (
            <>
              Permission: <code>{permission}</code> on the run;{' '}
            </>
          )}
          audited as <code>run-{action}</code>.
          {run.status?.profileDigest && action !== 'cancel'
            ? ` The new attempt keeps launch profile ${run.status.profileDigest.slice(
                0,
                19,
              )}….`
            : ''}
        </Typography>
        {needsPrompt && (
          <TextField
            id="run-action-prompt"
            label="Follow-up prompt"
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            value={prompt}
            onChange={e => setPrompt(e.target.value)}
          />
        )}
        {refusal && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            The server refused: {refusal}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>Back</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || (needsPrompt && !prompt.trim())}
          onClick={confirm}
        >
          {capitalized(action)} run
        </Button>
      </DialogActions>
    </Dialog>
  );
};
