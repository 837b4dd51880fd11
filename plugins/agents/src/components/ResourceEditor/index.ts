export { ResourceEditor, kubectlApplyCommand, toDraft } from './ResourceEditor';
export type { ResourceEditorProps } from './ResourceEditor';
export { EditorDrawer } from './EditorDrawer';
export type { EditorDrawerProps } from './EditorDrawer';
