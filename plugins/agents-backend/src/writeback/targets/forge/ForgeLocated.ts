import { WriteBackError, WriteBackSupport } from '@krate/plugin-agents-node';

/** Where a forge target finds a repository, or the problem that keeps it from writing there. */
export type ForgeLocated<Location extends object> =
  | Location
  | { problem: string };

/** Supported where located; otherwise not, for the problem. */
export function supportOf<Location extends object>(
  located: ForgeLocated<Location>,
): WriteBackSupport {
  return 'problem' in located
    ? { supported: false, reason: located.problem }
    : { supported: true };
}

/** The location, or a final `WriteBackError` with the problem. */
export function locationOf<Location extends object>(
  located: ForgeLocated<Location>,
): Location {
  if ('problem' in located) {
    throw new WriteBackError(located.problem);
  }
  return located;
}
