export { RuleDraftDryRun } from './RuleDraftDryRun';
export type { RuleDraftDryRunProps } from './RuleDraftDryRun';
