export { ResourceEditor, kubectlApplyCommand, toDraft } from './ResourceEditor';
export type { ResourceEditorProps } from './ResourceEditor';
