import { findKind } from '@krate/plugin-agents-common';
import { ReactNode, useState } from 'react';
import { AgentsResource } from '../../api';
import { EditorDrawer, toDraft } from '../ResourceEditor';

interface Editing {
  applied?: AgentsResource;
  draft: AgentsResource;
}

/**
 * The resource editor in a drawer for drafts of any kind: `open` shows a draft, and the drawer
 * goes in the page. After an apply the editor shows the stored object and `onApplied` runs, so
 * the page reads its data again.
 */
export function useDraftEditor(onApplied?: (object: AgentsResource) => void): {
  open: (draft: AgentsResource) => void;
  drawer: ReactNode;
} {
  const [editing, setEditing] = useState<Editing>();
  const definition = editing && findKind(editing.draft.kind);
  const drawer = (
    <EditorDrawer
      editorKey={
        editing?.applied?.metadata.uid ??
        `new ${editing?.draft.kind}/${editing?.draft.metadata.name}`
      }
      editor={
        editing &&
        definition && {
          definition,
          applied: editing.applied,
          initialDraft: editing.draft,
          onApplied: applied => {
            setEditing({ applied, draft: toDraft(applied) });
            onApplied?.(applied);
          },
        }
      }
      onClose={() => setEditing(undefined)}
    />
  );
  return { open: draft => setEditing({ draft }), drawer };
}
