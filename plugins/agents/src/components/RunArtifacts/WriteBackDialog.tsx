import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentReviewArtifact,
  REVIEW_EVENTS,
  WRITE_BACK_BODY_LIMIT,
  WriteBackOperationKind,
  WriteBackRequestResponse,
  WriteBackTargetChoice,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { agentsApiRef } from '../../api';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { shortDigest } from '../../lib/writeBackText';
import {
  chooseTarget,
  initialWriteBackForm,
  OPERATION_FIELDS,
  OPERATION_LABELS,
  WriteBackField,
  WriteBackForm,
  writeBackProblems,
  writeBackRequestOf,
} from './writeBackForm';

const FIELD_LABELS: Record<WriteBackField, string> = {
  branch: 'Branch',
  base: 'Base branch',
  title: 'Title',
  body: 'Body',
  number: 'Number',
  reviewEvent: 'Verdict',
  workflowRunId: 'Workflow run',
};

function numberLabel(operation?: WriteBackOperationKind) {
  return operation === 'issue-comment' ? 'Issue number' : 'Pull request number';
}

export interface WriteBackDialogProps {
  artifact: AgentReviewArtifact;
  /** The run, for the default branch `agents/<run>`. */
  run: string;
  onClose: () => void;
  /** Called with the server's answer once it accepted the request. */
  onRequested: (response: WriteBackRequestResponse) => void;
}

/**
 * Asks for one write-back of an artifact: a target the server offers for its repository (the
 * others shown with why not), one of that target's operations and its fields, checked before
 * sending; a refusal shows the server's reason here.
 */
export const WriteBackDialog = ({
  artifact,
  run,
  onClose,
  onRequested,
}: WriteBackDialogProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { name, namespace } = artifact.metadata;
  const [form, setForm] = useState<WriteBackForm>(() =>
    initialWriteBackForm(run, artifact.spec.title ?? name),
  );
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const targets = useAsyncRetry(
    async () => (await agentsApi.listWriteBackTargets(namespace, name)).items,
    [agentsApi, namespace, name],
  );

  const choices = targets.value;
  useEffect(() => {
    if (choices) setForm(current => chooseTarget(current, choices));
  }, [choices]);

  const problems = writeBackProblems(form);
  const valid = Object.keys(problems).length === 0;
  const target = choices?.find(t => t.target === form.target);
  const fields = form.operation ? OPERATION_FIELDS[form.operation] : [];
  const titleId = `write-back-${name}-title`;

  const set = (field: WriteBackField) => (value: string) =>
    setForm(current => ({ ...current, [field]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      const response = await agentsApi.requestWriteBack(
        namespace,
        name,
        writeBackRequestOf(form),
      );
      onRequested(response);
    } catch (error) {
      const code = statusOf(error);
      setRefusal(`Refused${code ? ` (${code})` : ''}: ${serverMessage(error)}`);
      setBusy(false);
    }
  };

  const textField = (field: WriteBackField) => {
    const problem = problems[field];
    let help: string | undefined;
    if (field === 'base') help = "Empty: the repository's default branch";
    if (field === 'body') {
      help = `${form.body.length} / ${WRITE_BACK_BODY_LIMIT} characters`;
    }
    return (
      <TextField
        key={field}
        id={`write-back-${field}`}
        label={
          field === 'number' ? numberLabel(form.operation) : FIELD_LABELS[field]
        }
        value={form[field]}
        onChange={e => set(field)(e.target.value)}
        error={Boolean(problem)}
        helperText={
          problem && field === 'body' ? `${problem} · ${help}` : problem ?? help
        }
        required={field !== 'base' && field !== 'body'}
        multiline={field === 'body'}
        minRows={field === 'body' ? 4 : undefined}
        maxRows={field === 'body' ? 12 : undefined}
        fullWidth
        margin="dense"
        variant="outlined"
      />
    );
  };

  let body;
  if (targets.loading) {
    body = <Progress />;
  } else if (targets.error) {
    body = (
      <ResponseErrorPanel
        title="Could not list the write-back targets"
        error={targets.error}
      />
    );
  } else if (!choices?.length) {
    body = (
      <Typography color="textSecondary">
        No write-back target is registered on the backend.
      </Typography>
    );
  } else {
    body = (
      <>
        <FormControl component="fieldset" margin="dense" fullWidth>
          <FormLabel component="legend">Target</FormLabel>
          <RadioGroup
            aria-label="Target"
            value={form.target}
            onChange={e =>
              setForm(current => chooseTarget(current, choices, e.target.value))
            }
          >
            {choices.map((choice: WriteBackTargetChoice) => (
              <FormControlLabel
                key={choice.target}
                value={choice.target}
                disabled={!choice.available}
                control={<Radio />}
                label={
                  <Box>
                    <Typography variant="body2">
                      {choice.displayName}
                    </Typography>
                    {!choice.available && choice.reason && (
                      <Typography variant="caption" color="textSecondary">
                        {choice.reason}
                      </Typography>
                    )}
                  </Box>
                }
              />
            ))}
          </RadioGroup>
        </FormControl>
        {target && (
          <FormControl component="fieldset" margin="dense" fullWidth>
            <FormLabel component="legend">Operation</FormLabel>
            <RadioGroup
              aria-label="Operation"
              row
              value={form.operation ?? ''}
              onChange={e =>
                setForm(current => ({
                  ...current,
                  operation: e.target.value as WriteBackOperationKind,
                }))
              }
            >
              {target.operations.map(operation => (
                <FormControlLabel
                  key={operation}
                  value={operation}
                  control={<Radio />}
                  label={OPERATION_LABELS[operation] ?? operation}
                />
              ))}
            </RadioGroup>
          </FormControl>
        )}
        {fields.map(field =>
          field === 'reviewEvent' ? (
            <TextField
              key={field}
              id="write-back-reviewEvent"
              select
              label={FIELD_LABELS.reviewEvent}
              value={form.reviewEvent}
              onChange={e => set('reviewEvent')(e.target.value)}
              fullWidth
              margin="dense"
              variant="outlined"
            >
              {REVIEW_EVENTS.map(event => (
                <MenuItem key={event} value={event}>
                  {event}
                </MenuItem>
              ))}
            </TextField>
          ) : (
            textField(field)
          ),
        )}
      </>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Request write-back</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Writes {artifact.spec.title ?? name} (
            <code>{shortDigest(artifact.spec.digest)}</code>)
            {artifact.spec.repository ? ` to ${artifact.spec.repository}` : ''}{' '}
            once. An approval, when the stack asks for one, approves exactly
            this diff and operation.
          </Typography>
          {body}
          {refusal && (
            <Alert severity="error" role="alert" style={{ marginTop: 8 }}>
              {refusal}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !valid || !choices?.length}
          >
            Request write-back
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
