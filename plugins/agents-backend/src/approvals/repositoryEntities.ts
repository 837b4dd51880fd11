import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AGENTS_REPOSITORY_ANNOTATION } from '@krate/plugin-agents-common';

/**
 * The refs of the catalog entities that carry a repository's annotation. Sent to as
 * notification recipients, they reach the entities' owners (the notifications backend routes an
 * entity that is no user or group to its owner and expands groups to members).
 */
export function repositoryEntities(options: {
  catalog: CatalogService;
  auth: AuthService;
}): (repository: string) => Promise<string[]> {
  return async repository => {
    const { items } = await options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${AGENTS_REPOSITORY_ANNOTATION}`]: repository,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials: await options.auth.getOwnServiceCredentials() },
    );
    return items.map(entity => stringifyEntityRef(entity));
  };
}
