import { useApi } from '@backstage/core-plugin-api';
import { AgentWorkspace } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';
import { agentsApiRef, WorkspaceActionName } from '../../api';
import { ActionGates } from '../../hooks/useActionAvailability';
import { serverMessage } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';

/** The workspace's notes, saved with the `notes-save` action. */
export const WorkspaceNotes = ({
  workspace,
  gates,
  onDone,
}: {
  workspace: AgentWorkspace;
  gates: ActionGates<WorkspaceActionName>;
  onDone: () => void;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const stored = workspace.spec.notes ?? '';
  const [notes, setNotes] = useState(stored);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  useEffect(() => setNotes(stored), [stored]);

  const save = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      await agentsApi.workspaceAction(workspace.metadata.name, {
        namespace: workspace.metadata.namespace,
        action: 'notes-save',
        notes,
      });
      setResult({ ok: true, text: 'Notes saved.' });
    } catch (error) {
      setResult({
        ok: false,
        text: `notes-save refused: ${serverMessage(error)}`,
      });
    } finally {
      setBusy(false);
      onDone();
    }
  };

  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <TextField
        id="workspace-notes"
        label="Notes"
        multiline
        minRows={3}
        variant="outlined"
        value={notes}
        onChange={e => setNotes(e.target.value)}
      />
      <Box>
        <GatedButton
          variant="contained"
          color="primary"
          size="small"
          disabled={busy || notes === stored}
          reason={gates.reasonOf('notes-save')}
          onClick={save}
        >
          Save notes
        </GatedButton>
      </Box>
      {result && (
        <Alert severity={result.ok ? 'success' : 'error'}>{result.text}</Alert>
      )}
    </Box>
  );
};
