import { useApi } from '@backstage/core-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef, WorkspaceActionName } from '../../api';
import { ActionGates } from '../../hooks/useActionAvailability';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';
import { ActionWithInput } from './ActionWithInput';

const DESTRUCTIVE: Partial<Record<WorkspaceActionName, string>> = {
  archive:
    'Marks the workspace archived; the worktree stays on disk and retention may clean it up later.',
  cleanup:
    'Removes the worktree with `git worktree remove`; the record stays, archived.',
};

const REBASE_ACTIONS: WorkspaceActionName[] = [
  'rebase-mark-resolved',
  'rebase-auto-resolve',
  'rebase-open-in-editor',
  'rebase-abort',
];

export interface WorkspaceActionsProps {
  workspace: AgentWorkspace;
  /** Which actions the server allows now, and why not. */
  gates: ActionGates<WorkspaceActionName>;
  /** Called after every answer, accepted or refused, so the page reads the status again. */
  onDone: () => void;
}

/**
 * Lifecycle actions through `POST /workspaces/:name/action`. Which buttons show follows the
 * workspace's state; whether each is enabled is the server's answer, and so is a refusal.
 */
export const WorkspaceActions = ({
  workspace,
  gates,
  onDone,
}: WorkspaceActionsProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace } = workspace.metadata;
  const { spec, status = {} } = workspace;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();
  const [confirming, setConfirming] = useState<WorkspaceActionName>();
  const [reviewed, setReviewed] = useState(false);

  const run = async (
    action: WorkspaceActionName,
    params: Record<string, unknown> = {},
  ) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await agentsApi.workspaceAction(name, {
        namespace,
        action,
        ...params,
      });
      setOutcome({
        severity: 'success',
        text: `${action}: ${result.action.message ?? result.action.result}`,
      });
      setConfirming(undefined);
    } catch (error) {
      const code = statusOf(error);
      setOutcome({
        severity: 'error',
        text: `${action} refused${code ? ` (${code})` : ''}: ${serverMessage(
          error,
        )}`,
      });
    } finally {
      setBusy(false);
      onDone();
    }
  };

  const missing = status.state === 'missing' || status.pathMissing;
  const rebasing = Boolean(status.git?.rebaseInProgress);
  const button = (action: WorkspaceActionName, label: string) => (
    <GatedButton
      key={action}
      variant="outlined"
      size="small"
      disabled={busy}
      reason={gates.reasonOf(action)}
      onClick={() =>
        DESTRUCTIVE[action] ? setConfirming(action) : run(action)
      }
    >
      {label}
    </GatedButton>
  );

  return (
    <Box display="flex" flexDirection="column" gridGap={12}>
      <Box
        display="flex"
        flexWrap="wrap"
        gridGap={8}
        role="group"
        aria-label="Workspace actions"
      >
        {spec.pinned ? button('unpin', 'Unpin') : button('pin', 'Pin')}
        {missing && button('recover', 'Recover')}
        {status.state !== 'archived' && button('archive', 'Archive')}
        {button('cleanup', 'Clean up')}
        {rebasing &&
          REBASE_ACTIONS.map(action =>
            button(action, action.replace('rebase-', 'Rebase: ')),
          )}
      </Box>
      {missing && (
        <ActionWithInput
          id="workspace-relink-path"
          label="Relink to path"
          placeholder="/absolute/path/of/the/worktree"
          buttonLabel="Relink"
          reason={gates.reasonOf('recover')}
          busy={busy}
          onRun={path => run('recover', { path })}
        />
      )}
      {!rebasing && !missing && (
        <ActionWithInput
          id="workspace-rebase-onto"
          label="Rebase onto"
          placeholder="origin/main"
          buttonLabel="Start rebase"
          reason={gates.reasonOf('rebase-start')}
          busy={busy}
          onRun={onto => run('rebase-start', { onto })}
        />
      )}
      {outcome && (
        <Alert severity={outcome.severity} role="status">
          {outcome.text}
        </Alert>
      )}
      {confirming && (
        <Dialog
          open
          onClose={() => setConfirming(undefined)}
          aria-labelledby="workspace-action-title"
          fullWidth
        >
          <DialogTitle id="workspace-action-title">
            {confirming === 'cleanup' ? 'Clean up' : 'Archive'} AgentWorkspace{' '}
            {namespace}/{name}?
          </DialogTitle>
          <DialogContent>
            <Typography paragraph>{DESTRUCTIVE[confirming]}</Typography>
            <Typography variant="body2" color="textSecondary" paragraph>
              Request:{' '}
              <code>
                POST /api/agents/workspaces/{name}/action {'{'} action:{' '}
                {confirming} {'}'}
              </code>{' '}
              (permission{' '}
              <code>
                {gates.permissionOf(confirming) ?? 'agents.workspace.action'}
              </code>
              , audited as <code>workspace-action</code>).
            </Typography>
            {confirming === 'cleanup' && status.git?.dirty && (
              <FormControlLabel
                control={
                  <Checkbox
                    checked={reviewed}
                    onChange={e => setReviewed(e.target.checked)}
                  />
                }
                label={`I reviewed the ${
                  status.git.uncommittedCount ?? ''
                } uncommitted changes; discard them`}
              />
            )}
            {outcome?.severity === 'error' && (
              <Alert severity="error">{outcome.text}</Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setConfirming(undefined)}>Back</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={busy}
              onClick={() =>
                run(
                  confirming,
                  confirming === 'cleanup' && reviewed ? { reviewed } : {},
                )
              }
            >
              {confirming === 'cleanup' ? 'Clean up' : 'Archive'}
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Box>
  );
};
