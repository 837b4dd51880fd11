import { DependencyList } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { ActionAvailability } from '../api';
import { serverMessage, statusOf } from '../lib/serverMessage';

/** What a page needs to know to enable or disable an action button. */
export interface ActionGates<A extends string> {
  /** Why the action cannot be taken now, as the server put it; undefined when it can. */
  reasonOf(action: A): string | undefined;
  /** The permission the server says the action needs, when it said. */
  permissionOf(action: A): string | undefined;
}

export const CHECKING_REASON = 'Checking whether you may do this…';

/**
 * Reads which actions the server allows on an object, again whenever `deps` change. A backend
 * without the route (404) leaves every action enabled: the action itself is refused with a reason.
 */
export function useActionAvailability<A extends string>(
  load: () => Promise<{ items: ActionAvailability<A>[] }>,
  deps: DependencyList,
): ActionGates<A> {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const answer = useAsync(async () => load(), deps);
  const itemOf = (action: A) =>
    answer.value?.items.find(item => item.action === action);
  return {
    reasonOf(action) {
      if (answer.error) {
        return statusOf(answer.error) === 404
          ? undefined
          : `Could not check whether you may do this: ${serverMessage(
              answer.error,
            )}`;
      }
      if (!answer.value) return CHECKING_REASON;
      const item = itemOf(action);
      if (!item || item.allowed) return undefined;
      return item.reason ?? `Not allowed (${item.permission})`;
    },
    permissionOf: action => itemOf(action)?.permission,
  };
}
