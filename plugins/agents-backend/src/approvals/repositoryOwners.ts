import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AGENTS_REPOSITORY_ANNOTATION } from '@krate/plugin-agents-common';

/**
 * The owners (`spec.owner`, as full entity refs) of the catalog entities that carry a
 * repository's annotation: who may approve its write-backs when the stack names no approvers.
 */
export function repositoryOwners(options: {
  catalog: CatalogService;
  auth: AuthService;
}): (repository: string) => Promise<string[]> {
  return async repository => {
    const { items } = await options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${AGENTS_REPOSITORY_ANNOTATION}`]: repository,
        },
        fields: ['metadata.namespace', 'spec.owner'],
      },
      { credentials: await options.auth.getOwnServiceCredentials() },
    );
    const owners = new Set<string>();
    for (const entity of items) {
      const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
      if (typeof owner === 'string' && owner) {
        owners.add(
          stringifyEntityRef(
            parseEntityRef(owner, {
              defaultKind: 'group',
              defaultNamespace: entity.metadata.namespace ?? 'default',
            }),
          ),
        );
      }
    }
    return [...owners];
  };
}
