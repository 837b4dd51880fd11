import { AGENTS_REPOSITORY_ANNOTATION } from './constants';

/** A repository agents work on, as named by the catalog annotation. @public */
export interface AgentsRepositoryRef {
  /** The org: the namespace of the repository's agent resources. */
  org: string;
  /** The repository's name inside the org. */
  repository: string;
}

const SEGMENT = /^[a-z0-9]([-a-z0-9._]{0,61}[a-z0-9])?$/i;

/**
 * Parses an `<org>/<repository>` slug. Returns `undefined` for anything else, so callers can
 * treat a malformed annotation the same as a missing one.
 * @public
 */
export function parseAgentsRepositoryRef(
  slug: string | undefined,
): AgentsRepositoryRef | undefined {
  const parts = slug?.trim().split('/');
  if (!parts || parts.length !== 2) {
    return undefined;
  }
  const [org, repository] = parts;
  if (!SEGMENT.test(org) || !SEGMENT.test(repository)) {
    return undefined;
  }
  return { org, repository };
}

/**
 * Reads the agents repository annotation from anything shaped like a catalog entity.
 * @public
 */
export function getAgentsRepositoryRef(entity: {
  metadata: { annotations?: Record<string, string> };
}): AgentsRepositoryRef | undefined {
  return parseAgentsRepositoryRef(
    entity.metadata.annotations?.[AGENTS_REPOSITORY_ANNOTATION],
  );
}
