import { useApi } from '@backstage/core-plugin-api';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { agentsApiRef, MemoryFileChange } from '../../api';
import { serverMessage } from '../../lib/serverMessage';

interface FileDraft {
  path: string;
  content: string;
  remove: boolean;
}

const emptyFile = (): FileDraft => ({ path: '', content: '', remove: false });

export interface ProposeUpdateDialogProps {
  org: string;
  open: boolean;
  onClose: () => void;
  onProposed: (update: AgentMemoryUpdate) => void;
}

/**
 * Proposes Markdown files to write or delete in an org's memory. Nothing is written: the
 * proposal waits for review, and the backend checks it against the ontology first.
 */
export const ProposeUpdateDialog = ({
  org,
  open,
  onClose,
  onProposed,
}: ProposeUpdateDialogProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<FileDraft[]>([emptyFile()]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const change = (index: number, patch: Partial<FileDraft>) =>
    setFiles(current =>
      current.map((file, i) => (i === index ? { ...file, ...patch } : file)),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const changes: MemoryFileChange[] = files
      .filter(file => file.path.trim())
      .map(file => ({
        path: file.path.trim(),
        content: file.remove ? null : file.content,
      }));
    if (!title.trim()) {
      setError('title: say what the update is about');
      return;
    }
    if (changes.length === 0) {
      setError('changes: name at least one file');
      return;
    }
    setBusy(true);
    try {
      const update = await agentsApi.proposeMemoryUpdate({
        org,
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        changes,
      });
      setTitle('');
      setDescription('');
      setFiles([emptyFile()]);
      onProposed(update);
    } catch (e) {
      setError(serverMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md">
      <form aria-label="Propose a memory update" onSubmit={submit} noValidate>
        <DialogTitle>Propose an update to the memory of {org}</DialogTitle>
        <DialogContent>
          <Box display="flex" flexDirection="column" gridGap={16}>
            <TextField
              id="memory-update-title"
              label="Title"
              required
              value={title}
              inputProps={{ maxLength: 200 }}
              onChange={e => setTitle(e.target.value)}
            />
            <TextField
              id="memory-update-description"
              label="Description"
              multiline
              minRows={2}
              value={description}
              onChange={e => setDescription(e.target.value)}
            />
            {files.map((file, index) => (
              <Box
                key={index}
                role="group"
                aria-label={`File ${index + 1}`}
                display="flex"
                flexDirection="column"
                gridGap={8}
                p={1}
                border={1}
                borderColor="divider"
                borderRadius={4}
              >
                <Box display="flex" alignItems="center" gridGap={8}>
                  <TextField
                    id={`memory-update-path-${index}`}
                    label="Path"
                    placeholder="runbooks/ledger.md"
                    value={file.path}
                    style={{ flexGrow: 1 }}
                    onChange={e => change(index, { path: e.target.value })}
                  />
                  <FormControlLabel
                    control={
                      <Checkbox
                        id={`memory-update-remove-${index}`}
                        checked={file.remove}
                        onChange={e =>
                          change(index, { remove: e.target.checked })
                        }
                      />
                    }
                    label="Delete this file"
                  />
                  {files.length > 1 && (
                    <Button
                      size="small"
                      onClick={() =>
                        setFiles(current =>
                          current.filter((_, i) => i !== index),
                        )
                      }
                    >
                      Remove
                    </Button>
                  )}
                </Box>
                {!file.remove && (
                  <TextField
                    id={`memory-update-content-${index}`}
                    label="Markdown content"
                    multiline
                    minRows={6}
                    variant="outlined"
                    value={file.content}
                    inputProps={{ style: { fontFamily: 'monospace' } }}
                    onChange={e => change(index, { content: e.target.value })}
                  />
                )}
              </Box>
            ))}
            <Box>
              <Button
                size="small"
                onClick={() => setFiles(current => [...current, emptyFile()])}
              >
                Add a file
              </Button>
            </Box>
            {error && <Alert severity="error">{error}</Alert>}
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
            Propose
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
