import { AgentSession } from '@krate/plugin-agents-common';

/**
 * One runtime session as the lists show it. The backend keeps a session record per attempt, and
 * a resume or continue attempt reuses the runtime session of the one before: the records that
 * carry the same runtime session id are one session.
 */
export interface SessionGroup {
  namespace: string;
  /** The record the row links to: the oldest of the group, which opened the session. */
  name: string;
  sessionId?: string;
  runtime: string;
  stack?: string;
  repository?: string;
  /** The state of the newest record: the session's latest attempt. */
  state?: string;
  /** Runs the session's attempts belong to, oldest first. */
  runs: string[];
  /** The group's records, oldest first. */
  records: AgentSession[];
  lastActivity?: string;
}

const activityOf = (record: AgentSession) =>
  record.status?.lastActivityTime ?? record.metadata.creationTimestamp;

const createdOf = (record: AgentSession) =>
  record.metadata.creationTimestamp ?? '';

/** The records of a list page as sessions, the one with the newest activity first. */
export function groupSessions(records: AgentSession[]): SessionGroup[] {
  const groups = new Map<string, AgentSession[]>();
  for (const record of records) {
    const { namespace, name } = record.metadata;
    const sessionId = record.status?.sessionId;
    // A record whose runtime never reported a session is a session of its own.
    const key = sessionId
      ? `${namespace}\u0000${record.spec.runtime}\u0000${sessionId}`
      : `${namespace}\u0000\u0000${name}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()]
    .map(group => {
      const ordered = [...group].sort((a, b) =>
        createdOf(a).localeCompare(createdOf(b)),
      );
      const first = ordered[0];
      const last = ordered[ordered.length - 1];
      const lastActivity = ordered
        .map(activityOf)
        .filter((time): time is string => Boolean(time))
        .sort()
        .pop();
      return {
        namespace: first.metadata.namespace,
        name: first.metadata.name,
        sessionId: first.status?.sessionId,
        runtime: first.spec.runtime,
        stack: last.spec.stack,
        repository: last.spec.repository,
        state: last.status?.state,
        runs: [
          ...new Set(
            ordered.flatMap(record =>
              record.spec.run ? [record.spec.run] : [],
            ),
          ),
        ],
        records: ordered,
        lastActivity,
      };
    })
    .sort((a, b) => (b.lastActivity ?? '').localeCompare(a.lastActivity ?? ''));
}
