import { Entity } from '@backstage/catalog-model';
import { getAgentsRepositoryRef } from '@krate/plugin-agents-common';

/**
 * Whether the entity names a repository agents work on: an `agents.krate.dev/repository`
 * annotation holding a valid `<org>/<repository>`. Gates the Agents tab and card.
 * @public
 */
export function isAgentsAvailable(entity: Entity): boolean {
  return getAgentsRepositoryRef(entity) !== undefined;
}
