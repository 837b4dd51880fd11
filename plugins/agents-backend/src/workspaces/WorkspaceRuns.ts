import { AgentWorkspace } from '@krate/plugin-agents-common';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { Status } from './workspaceStatus';

/** Phases of a run that has not finished. */
const UNFINISHED_PHASES = ['Queued', 'Running', 'Waiting'];
/** States of a session that is being worked in. */
const LIVE_SESSION_STATES = ['binding-pending', 'active'];
/** How many runs `status.runs` keeps. */
export const RUN_HISTORY = 50;
/** How long a run claimed into a workspace may not exist yet. */
const CLAIM_GRACE_MS = 5 * 60_000;

/** `<namespace>/<workspace>`. */
export function workspaceKey(namespace: string, name: string) {
  return `${namespace}/${name}`;
}

/** Who works in which workspace, read from runs and sessions. */
export interface WorkspaceOccupancy {
  /** Unfinished runs by workspace key, sorted. */
  runs: Map<string, string[]>;
  /** Sessions being worked in by workspace key, sorted. */
  sessions: Map<string, string[]>;
}

/**
 * The associations between workspaces and the runs and sessions that work in them: the runs
 * whose `spec.workspace` names the workspace and that have not finished, and the sessions whose
 * `status.workspaceRef` names it and that are binding or active.
 */
export class WorkspaceRuns {
  constructor(
    private readonly store: ResourceStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async occupancy(namespace?: string): Promise<WorkspaceOccupancy> {
    const runs = new Map<string, string[]>();
    for (const phase of UNFINISHED_PHASES) {
      for (const run of await this.#list(
        'AgentDispatchRun',
        phase,
        namespace,
      )) {
        add(
          runs,
          run.metadata.namespace,
          run.spec?.workspace,
          run.metadata.name,
        );
      }
    }
    const sessions = new Map<string, string[]>();
    for (const state of LIVE_SESSION_STATES) {
      for (const session of await this.#list(
        'AgentSession',
        state,
        namespace,
      )) {
        add(
          sessions,
          session.metadata.namespace,
          session.status?.workspaceRef,
          session.metadata.name,
        );
      }
    }
    for (const names of [...runs.values(), ...sessions.values()]) {
      names.sort();
    }
    return { runs, sessions };
  }

  /** The unfinished runs working in a workspace. */
  async activeRunsIn(namespace: string, workspace: string): Promise<string[]> {
    const { runs } = await this.occupancy(namespace);
    return runs.get(workspaceKey(namespace, workspace)) ?? [];
  }

  /**
   * The runs of `status.activeRuns` that were claimed into the workspace but whose record does
   * not exist yet: the dispatch creates it just after the claim. After `graceMs` a missing run
   * counts as a dispatch that failed.
   */
  async pendingClaims(
    workspace: AgentWorkspace,
    graceMs: number = CLAIM_GRACE_MS,
  ): Promise<string[]> {
    const status = workspace.status ?? {};
    const claimedAt = new Date(status.lastActivityTime ?? 0).getTime();
    if (this.now().getTime() - claimedAt >= graceMs) {
      return [];
    }
    const pending: string[] = [];
    for (const run of status.activeRuns ?? []) {
      if (
        !(await this.store.get(
          'AgentDispatchRun',
          workspace.metadata.namespace,
          run,
        ))
      ) {
        pending.push(run);
      }
    }
    return pending;
  }

  /**
   * Records that `run` works in the workspace (before the run record exists), which the caller
   * found free: `status.activeRuns` is the run alone, it joins `status.runs`, and the workspace
   * is `active`. The write carries the version that was read, so of two runs claiming one idle
   * workspace only one gets it.
   */
  async attach(
    workspace: AgentWorkspace,
    run: string,
    actor: string,
  ): Promise<AgentWorkspace> {
    const status: Status = workspace.status ?? {};
    const next: Status = {
      ...status,
      state: 'active',
      activeRuns: [run],
      runs: withRun(status.runs, run),
      lastActivityTime: this.now().toISOString(),
    };
    return (await this.store.updateStatus(
      { ...workspace, status: next } as StoredResource,
      { actor },
    )) as AgentWorkspace;
  }

  async #list(kind: string, phase: string, namespace?: string) {
    const items: StoredResource[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.store.list(kind, {
        ...(namespace ? { namespace } : {}),
        fieldFilters: { phase },
        limit: 500,
        continueToken,
      });
      items.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken);
    return items;
  }
}

/** The run history with `run` appended (once), the newest RUN_HISTORY kept. */
export function withRun(runs: string[] | undefined, run: string): string[] {
  const history = (runs ?? []).filter(r => r !== run);
  return [...history, run].slice(-RUN_HISTORY);
}

function add(
  map: Map<string, string[]>,
  namespace: string,
  workspace: unknown,
  name: string,
) {
  if (typeof workspace !== 'string' || !workspace) {
    return;
  }
  const key = workspaceKey(namespace, workspace);
  map.set(key, [...(map.get(key) ?? []), name]);
}
