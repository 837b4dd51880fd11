import {
  AgentDispatchAttempt,
  AgentDispatchRun,
  AgentSession,
  WorkItemSessionLink,
} from '@krate/plugin-agents-common';
import { AgentsApi } from '../../api';
import { serverMessage } from '../../lib/serverMessage';

/** One runtime session: its records, attempts and runs, and the work items linked to it. */
export interface SessionView {
  /** The record the page is named after. */
  record: AgentSession;
  /** Records carrying the same runtime session, oldest first (one per attempt). */
  records: AgentSession[];
  /** The session's attempts, across its runs, in the order they ran. */
  attempts: AgentDispatchAttempt[];
  /** Its runs, in the order of their first attempt in the session. */
  runs: AgentDispatchRun[];
  /** Work items linked to any of its records; `error` when they could not be read. */
  workItems: { links: WorkItemSessionLink[]; error?: string };
}

const RUN_LABEL = 'agents.krate.dev/run';
/** On a run that continues a runtime session another run began: the session id. */
const RUNTIME_SESSION_LABEL = 'agents.krate.dev/runtime-session';
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const REUSES_SESSION = new Set(['resume', 'continue']);

const numberOf = (attempt: string) =>
  Number(attempt.slice(attempt.lastIndexOf('-') + 1));

const createdOf = (object: { metadata: { creationTimestamp?: string } }) =>
  object.metadata.creationTimestamp ?? '';

/**
 * Whether an attempt works in the runtime session: it bound it, or it is a resume or continue
 * queued to start from it and not bound yet. A fork starts from it too but opens a new one.
 */
function inSession(
  attempt: AgentDispatchAttempt,
  sessionId: string | undefined,
  recorded: Set<string>,
) {
  if (recorded.has(attempt.metadata.name)) return true;
  if (!sessionId) return false;
  const bound = attempt.status?.sessionId;
  if (bound) return bound === sessionId;
  return (
    REUSES_SESSION.has(attempt.spec.kind) &&
    attempt.spec.sessionId === sessionId
  );
}

/**
 * The runs of a runtime session: the record's own, the runs that continue the session (labelled
 * with its id) and the runs whose records those continue, e.g. the one that began it.
 */
async function runsOf(
  api: AgentsApi,
  namespace: string,
  record: AgentSession,
): Promise<string[]> {
  const runs = new Set(record.spec.run ? [record.spec.run] : []);
  const sessionId = record.status?.sessionId;
  if (!sessionId || !LABEL_VALUE.test(sessionId)) return [...runs];
  const continuing = (
    await api.listResources('agentdispatchruns', {
      namespace,
      labelSelector: `${RUNTIME_SESSION_LABEL}=${sessionId}`,
    })
  ).items as unknown as AgentDispatchRun[];
  const continued = await Promise.all(
    continuing.flatMap(run =>
      run.spec.continuesSession &&
      run.spec.continuesSession !== record.metadata.name
        ? [
            api
              .getResource(
                'agentsessions',
                namespace,
                run.spec.continuesSession,
              )
              .then(found => (found as unknown as AgentSession).spec.run)
              // A record removed since: its run is still found by its label, or not at all.
              .catch(() => undefined),
          ]
        : [],
    ),
  );
  for (const run of [...continued, ...continuing.map(r => r.metadata.name)]) {
    if (run) runs.add(run);
  }
  return [...runs];
}

/**
 * Reads a session from the record named in the address. A resume or continue adds an attempt to
 * its run, and a run dispatched to continue the session adds a run to it, so the session's
 * records and attempts are found by the run labels of its runs; those carrying its runtime
 * session id are the session.
 */
export async function loadSession(
  api: AgentsApi,
  namespace: string,
  name: string,
): Promise<SessionView> {
  const record = (await api.getResource(
    'agentsessions',
    namespace,
    name,
  )) as unknown as AgentSession;
  const sessionId = record.status?.sessionId;
  const runNames = await runsOf(api, namespace, record);
  const unordered = await Promise.all(
    runNames.map(async run => {
      const labelSelector = `${RUN_LABEL}=${run}`;
      const [records, attempts, detail] = await Promise.all([
        api.listResources('agentsessions', { namespace, labelSelector }),
        api.listResources('agentdispatchattempts', {
          namespace,
          labelSelector,
        }),
        api.getRun(run, { namespace }),
      ]);
      return {
        records: records.items as unknown as AgentSession[],
        attempts: attempts.items as unknown as AgentDispatchAttempt[],
        run: detail,
      };
    }),
  );
  // A session's runs follow one another: the order they were created in is the order they ran.
  const perRun = unordered.sort((a, b) =>
    createdOf(a.run).localeCompare(createdOf(b.run)),
  );

  const sameSession = (candidate: AgentSession) =>
    candidate.metadata.name === name ||
    (sessionId !== undefined &&
      candidate.spec.runtime === record.spec.runtime &&
      candidate.status?.sessionId === sessionId);
  const records = [
    record,
    ...perRun
      .flatMap(r => r.records)
      .filter(r => r.metadata.name !== name && sameSession(r)),
  ].sort((a, b) => createdOf(a).localeCompare(createdOf(b)));
  const recorded = new Set(
    records.flatMap(r => (r.spec.attempt ? [r.spec.attempt] : [])),
  );
  const runOrder = new Map(perRun.map((r, i) => [r.run.metadata.name, i]));
  const attempts = perRun
    .flatMap(r => r.attempts)
    .filter(a => inSession(a, sessionId, recorded))
    .sort(
      (a, b) =>
        (runOrder.get(a.spec.run) ?? 0) - (runOrder.get(b.spec.run) ?? 0) ||
        numberOf(a.metadata.name) - numberOf(b.metadata.name),
    );

  let workItems: SessionView['workItems'];
  try {
    const names = new Set(records.map(r => r.metadata.name));
    const links = await api.listResources('workitemsessionlinks', {
      namespace,
      limit: 500,
    });
    workItems = {
      links: (links.items as unknown as WorkItemSessionLink[]).filter(link =>
        names.has(link.spec.session),
      ),
    };
  } catch (error) {
    workItems = { links: [], error: serverMessage(error) };
  }

  return {
    record,
    records,
    attempts,
    runs: perRun.map(r => r.run),
    workItems,
  };
}
