import { AgentWorkspace, WORKSPACE_ACTIONS } from '@krate/plugin-agents-common';
import { WorkspaceGitState } from './WorkspaceGitState';

/** One of WORKSPACE_ACTIONS. */
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];
/** The status of an AgentWorkspace. */
export type Status = NonNullable<AgentWorkspace['status']>;
/** What an action did, as kept in `status.lastAction`. */
export type WorkspaceActionRecord = NonNullable<Status['lastAction']>;

/**
 * The status after an action: the observed git state, the lifecycle state (a missing path makes
 * a workspace `missing` unless it is archived; a path that is back makes it `active`), the action
 * record, an editor link only while the path exists, and the runtime surfaces the action left.
 */
export function nextStatus(
  previous: Status | undefined,
  observed: WorkspaceGitState,
  lastAction: WorkspaceActionRecord,
  change?: {
    state?: Status['state'];
    editorUrl?: string;
    runtimeSurfaces?: Status['runtimeSurfaces'];
  },
): Status {
  const {
    git: _git,
    editorUrl: _editorUrl,
    runtimeSurfaces: previousSurfaces,
    ...kept
  } = previous ?? ({} as Status);
  const runtimeSurfaces = change?.runtimeSurfaces ?? previousSurfaces;
  let state = change?.state ?? previous?.state ?? 'active';
  if (observed.pathMissing && state !== 'archived') {
    state = 'missing';
  } else if (!observed.pathMissing && state === 'missing') {
    state = 'active';
  }
  const editorUrl = change?.editorUrl ?? previous?.editorUrl;
  return {
    ...kept,
    state,
    pathMissing: observed.pathMissing,
    ...(observed.git ? { git: observed.git } : {}),
    ...(editorUrl && !observed.pathMissing ? { editorUrl } : {}),
    ...(runtimeSurfaces?.length ? { runtimeSurfaces } : {}),
    lastActivityTime:
      lastAction.result === 'succeeded'
        ? lastAction.time
        : previous?.lastActivityTime ?? observed.lastActivityTime,
    lastAction,
  };
}
