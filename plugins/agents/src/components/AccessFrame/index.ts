export { AccessFrame } from './AccessFrame';
export type { AccessFrameProps } from './AccessFrame';
export { AccessWarnings } from './AccessWarnings';
export type { AccessWarningsProps } from './AccessWarnings';
export { DraftButton } from './DraftButton';
export type { DraftButtonProps } from './DraftButton';
export { useDraftEditor } from './useDraftEditor';
export * from './accessDrafts';
export { ACCESS_KINDS } from './accessKinds';
