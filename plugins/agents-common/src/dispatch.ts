import type { MemorySelection } from './kinds/memorySelection';
import { AgentContextBundle } from './kinds';

/**
 * The body of `POST /api/agents/runs`: which stack to dispatch in which org, with what prompt,
 * on which repository, ref, context labels, workspace and work item.
 * @public
 */
export interface DispatchRunRequest {
  namespace: string;
  stack: string;
  prompt: string;
  /** `<org>/<repository>`. */
  repository?: string;
  /** Branch, tag or commit. */
  ref?: string;
  contextLabels?: string[];
  /** An existing AgentWorkspace to work in. */
  workspace?: string;
  /**
   * A WorkItem of the namespace the run works on: it gives the run its source, repository and
   * context labels, and the run's workspace gets a WorkItemWorkspaceLink to it.
   */
  workItem?: string;
  /**
   * The memory the run reads: a point in time (`ref`, `tag` or `at`; current when none) and
   * queries, added to those of the stack (and rule). Resolved to a commit before the run exists.
   */
  memory?: MemorySelection;
  /**
   * An AgentSession of the namespace whose runtime session the run continues: its first attempt
   * is a `continue` of that session, in the session's workspace, once the session's run ended.
   */
  session?: string;
}

/** The fields of {@link DispatchRunRequest}, as the API checks them. @public */
export const DISPATCH_RUN_FIELDS = [
  'namespace',
  'stack',
  'prompt',
  'repository',
  'ref',
  'contextLabels',
  'workspace',
  'workItem',
  'memory',
  'session',
] as const satisfies readonly (keyof DispatchRunRequest)[];

/** The actions on a dispatch run (`POST /api/agents/runs/:run/<action>`). @public */
export const RUN_ACTIONS = [
  'cancel',
  'retry',
  'resume',
  'fork',
  'continue',
] as const;

/** One of {@link RUN_ACTIONS}. @public */
export type RunAction = (typeof RUN_ACTIONS)[number];

/**
 * The context bundle a dispatch would assemble now (`POST /api/agents/runs/preview`, and the
 * preview of a trigger rule dry-run): its parts, redacted, and digests.
 * @public
 */
export interface ContextPreview {
  parts: AgentContextBundle['spec']['parts'];
  digest: string;
  profileDigest: string;
}
