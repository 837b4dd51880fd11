import { AgentsObject } from '@krate/plugin-agents-common';
import { AgentsDocumentsSource } from './readAgentsDocuments';

interface ChangedPage {
  items: AgentsObject[];
  continue?: string;
  resourceVersion?: string;
}

/** What one pass read: the objects, latest write first, and where the next pass continues. */
export interface ChangedObjects {
  objects: AgentsObject[];
  resourceVersion: string;
}

/**
 * Reads the objects of a list route of the agents backend written after `changedAfter`, latest
 * write first, as the search plugin, and stops at `max` objects: older changes than those would
 * fall out of a cache of `max` documents anyway. The first page's resourceVersion is the next
 * pass's start (taken before its rows were read, so no write in flight is skipped).
 */
export async function readChangedObjects(
  source: AgentsDocumentsSource,
  route: string,
  options: { changedAfter: string; max: number },
): Promise<ChangedObjects> {
  const { discovery, auth, pageSize = 500 } = source;
  const baseUrl = await discovery.getBaseUrl('agents');
  const objects: AgentsObject[] = [];
  let resourceVersion: string | undefined;
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'agents',
    });
    const query = new URLSearchParams({
      changedAfter: options.changedAfter,
      limit: String(Math.min(pageSize, options.max - objects.length)),
    });
    if (cursor) {
      query.set('continue', cursor);
    }
    const response = await fetch(`${baseUrl}${route}?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) {
      throw new Error(
        `Agents ${route} request failed: ${response.status} ${response.statusText}`,
      );
    }
    const page = (await response.json()) as ChangedPage;
    resourceVersion ??= page.resourceVersion;
    objects.push(...page.items);
    cursor = page.continue;
  } while (cursor && objects.length < options.max);
  if (resourceVersion === undefined) {
    throw new Error(`Agents ${route} answered no resourceVersion`);
  }
  return { objects, resourceVersion };
}
