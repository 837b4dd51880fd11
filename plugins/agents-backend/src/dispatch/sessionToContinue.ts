import { ConflictError, InputError } from '@backstage/errors';
import {
  AgentDispatchRun,
  AgentSession,
  AgentWorkspace,
} from '@krate/plugin-agents-common';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { ResourceStore } from '../resources/ResourceStore';
import {
  isTerminal,
  RUNTIME_SESSION_LABEL,
  runtimeSessionLabels,
} from './names';

/** Where a run that continues a session works: the session's runtime session and workspace. */
export interface SessionToContinue {
  sessionId: string;
  workspace?: string;
  repository?: string;
}

/** The runs dispatched to continue a runtime session, found by their label. */
async function runsContinuing(
  store: ResourceStore,
  namespace: string,
  sessionId: string,
): Promise<AgentDispatchRun[]> {
  const labels = runtimeSessionLabels(sessionId);
  const value = labels[RUNTIME_SESSION_LABEL];
  if (!value) return [];
  const page = await store.list('AgentDispatchRun', {
    namespace,
    labelSelector: [
      { key: RUNTIME_SESSION_LABEL, operator: 'in', values: [value] },
    ],
    limit: 500,
  });
  return page.items as AgentDispatchRun[];
}

/**
 * Checks that a new run may continue the named AgentSession and answers what it continues in: the
 * session has a runtime session id, its runtime is the stack's and can resume, its run and every
 * run that went on in it have ended (one runtime session never runs twice at once), and a workspace or repository the request names
 * is the session's. The run works in the session's workspace, where the runtime keeps its state.
 */
export async function sessionToContinue(
  store: ResourceStore,
  options: {
    namespace: string;
    spec: AgentDispatchRun['spec'];
    profile: LaunchProfile;
    runtimeCanResume: boolean;
  },
): Promise<SessionToContinue> {
  const { namespace, spec, profile } = options;
  const name = spec.continuesSession!;
  const described = `AgentSession ${namespace}/${name}`;
  const session = (await store.get('AgentSession', namespace, name)) as
    | AgentSession
    | undefined;
  if (!session) {
    throw new InputError(`session: ${described} does not exist`);
  }
  const sessionId = session.status?.sessionId;
  if (!sessionId) {
    throw new ConflictError(
      `session: ${described} has no runtime session yet; continue it once its runtime reported one`,
    );
  }
  if (session.spec.runtime !== profile.runtime) {
    throw new InputError(
      `session: ${described} is a ${session.spec.runtime} session; stack ${spec.stack} runs on ${profile.runtime}`,
    );
  }
  if (!options.runtimeCanResume) {
    throw new InputError(
      `session: the ${profile.runtime} runtime cannot continue a session`,
    );
  }
  const run = session.spec.run
    ? ((await store.get('AgentDispatchRun', namespace, session.spec.run)) as
        | AgentDispatchRun
        | undefined)
    : undefined;
  const busy = [
    ...(run ? [run] : []),
    ...(await runsContinuing(store, namespace, sessionId)),
  ].find(candidate => !isTerminal(candidate.status?.phase));
  if (busy) {
    throw new ConflictError(
      `session: ${described} is in use by run ${busy.metadata.name}, which is ${busy.status?.phase}; continue it there, or once it ended`,
    );
  }
  const workspace = session.status?.workspaceRef ?? run?.spec.workspace;
  if (spec.workspace && spec.workspace !== workspace) {
    throw new InputError(
      `workspace: ${described} works in ${
        workspace ? `AgentWorkspace ${workspace}` : 'no workspace'
      }, not ${spec.workspace}`,
    );
  }
  const repository = session.spec.repository ?? run?.spec.repository;
  if (spec.repository && repository && spec.repository !== repository) {
    throw new InputError(
      `repository: ${described} is of ${repository}, not ${spec.repository}`,
    );
  }
  if (
    workspace &&
    !((await store.get('AgentWorkspace', namespace, workspace)) as
      | AgentWorkspace
      | undefined)
  ) {
    throw new ConflictError(
      `session: the AgentWorkspace ${workspace} of ${described} no longer exists`,
    );
  }
  return {
    sessionId,
    ...(workspace ? { workspace } : {}),
    ...(repository ? { repository } : {}),
  };
}
