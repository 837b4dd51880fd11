import { useApi } from '@backstage/core-plugin-api';
import {
  TRUST_TIERS,
  WORKSPACE_OWNER_KINDS,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import {
  describeNewWorkspace,
  emptyNewWorkspaceForm,
  missingFields,
  NewWorkspaceAction,
  NewWorkspaceForm,
  newWorkspaceRequest,
} from './newWorkspaceRequest';
import { CodeBlock } from '../CodeBlock';

const TITLES: Record<NewWorkspaceAction, string> = {
  provision: 'Provision workspace',
  'link-existing': 'Link existing path',
};

type Field = keyof NewWorkspaceForm;

const FIELDS: Record<NewWorkspaceAction, Field[]> = {
  provision: ['ref', 'branch', 'repositoryPath'],
  'link-existing': ['path'],
};

const LABELS: Record<Field, { label: string; help?: string }> = {
  namespace: { label: 'Org' },
  name: { label: 'Name', help: 'The AgentWorkspace name, a DNS label' },
  repository: { label: 'Repository', help: 'org/repository' },
  ownerKind: { label: 'Owner kind' },
  ownerRef: { label: 'Owner', help: 'Issue or PR number, project, run…' },
  trustTier: { label: 'Trust tier' },
  ref: { label: 'Ref', help: 'Branch, tag or commit; HEAD when empty' },
  branch: {
    label: 'Branch',
    help: "The working branch; the policy's template when empty",
  },
  repositoryPath: {
    label: 'Repository path',
    help: 'Absolute path on the backend host; found by the backend when empty',
  },
  path: { label: 'Worktree path', help: 'Absolute path of the worktree' },
};

export interface NewWorkspaceDialogProps {
  action: NewWorkspaceAction;
  /** The org to start with. */
  namespace?: string;
  onClose: () => void;
}

/**
 * Creates a workspace through `POST /workspaces/:name/action` (provision or link-existing):
 * shows the target and the request before sending, the server's refusal when it refuses, and
 * opens the new workspace when it is created.
 */
export const NewWorkspaceDialog = ({
  action,
  namespace,
  onClose,
}: NewWorkspaceDialogProps) => {
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const navigate = useNavigate();
  const [form, setForm] = useState(emptyNewWorkspaceForm(namespace));
  const [missing, setMissing] = useState<Field[]>([]);
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const request = newWorkspaceRequest(action, form);
  const name = form.name.trim();
  const titleId = `new-workspace-${action}-title`;

  const set = (field: Field) => (value: string) =>
    setForm(current => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const empty = missingFields(action, form);
    setMissing(empty);
    setRefusal(undefined);
    if (empty.length) return;
    setBusy(true);
    try {
      await agentsApi.workspaceAction(name, request);
      navigate(paths.workspace(request.namespace, name));
    } catch (error) {
      const code = statusOf(error);
      setRefusal(
        `${action} refused${code ? ` (${code})` : ''}: ${serverMessage(error)}`,
      );
      setBusy(false);
    }
  };

  const text = (field: Field) => (
    <TextField
      key={field}
      id={`new-workspace-${field}`}
      label={LABELS[field].label}
      value={form[field]}
      required={missingFields(action, emptyNewWorkspaceForm()).includes(field)}
      error={missing.includes(field)}
      helperText={missing.includes(field) ? 'Required' : LABELS[field].help}
      onChange={e => set(field)(e.target.value)}
      size="small"
    />
  );
  const choice = (field: Field, options: readonly string[]) => (
    <TextField
      select
      id={`new-workspace-${field}`}
      label={LABELS[field].label}
      value={form[field]}
      onChange={e => set(field)(e.target.value)}
      size="small"
    >
      {options.map(option => (
        <MenuItem key={option} value={option}>
          {option}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth>
      <form onSubmit={submit} noValidate aria-label={TITLES[action]}>
        <DialogTitle id={titleId}>{TITLES[action]}</DialogTitle>
        <DialogContent>
          <Box display="flex" flexDirection="column" gridGap={12}>
            {text('namespace')}
            {text('name')}
            {text('repository')}
            {FIELDS[action].map(text)}
            {choice('trustTier', TRUST_TIERS)}
            {choice('ownerKind', WORKSPACE_OWNER_KINDS)}
            {text('ownerRef')}
            <Typography variant="body2" aria-label="What will happen">
              {describeNewWorkspace(action, form)}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              Request:{' '}
              <code>POST /api/agents/workspaces/{name || '<name>'}/action</code>{' '}
              (permission <code>agents.workspace.action</code>, audited as{' '}
              <code>workspace-action</code>):
            </Typography>
            <CodeBlock label="Request body">
              {JSON.stringify(request, null, 2)}
            </CodeBlock>
            {refusal && (
              <Alert severity="error" role="alert">
                {refusal}
              </Alert>
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {action === 'provision' ? 'Provision' : 'Link'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
