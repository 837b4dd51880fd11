import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Drawer from '@material-ui/core/Drawer';
import { useState } from 'react';
import { ResourceEditor, ResourceEditorProps } from './ResourceEditor';

export interface EditorDrawerProps {
  /** The editor to show; the drawer is closed without one. */
  editor?: ResourceEditorProps;
  /** A new key starts the editor over, e.g. once a new object has its uid. */
  editorKey?: string;
  onClose: () => void;
}

/**
 * The resource editor in a side drawer. Escape or a click outside closes it at once when the
 * draft has no unsaved edits, and otherwise asks before dropping them.
 */
export const EditorDrawer = ({
  editor,
  editorKey,
  onClose,
}: EditorDrawerProps) => {
  const [unsaved, setUnsaved] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const requestClose = () => (unsaved ? setConfirming(true) : onClose());
  const discard = () => {
    setConfirming(false);
    setUnsaved(false);
    onClose();
  };

  return (
    <>
      <Drawer anchor="right" open={Boolean(editor)} onClose={requestClose}>
        <Box width={640} maxWidth="100vw" p={3}>
          {editor && (
            <ResourceEditor
              key={editorKey}
              {...editor}
              onUnsavedChange={setUnsaved}
            />
          )}
        </Box>
      </Drawer>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        aria-labelledby="editor-discard-title"
      >
        <DialogTitle id="editor-discard-title">
          Discard your changes?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            The draft has edits that were not applied. Closing the editor drops
            them.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Keep editing</Button>
          <Button color="secondary" onClick={discard}>
            Discard
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
