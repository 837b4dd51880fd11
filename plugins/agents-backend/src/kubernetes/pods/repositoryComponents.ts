import { parseEntityRef } from '@backstage/catalog-model';
import { Repositories } from '../../repositories/Repositories';

/** A catalog component, as `backstage.io/kubernetes-id` and the entity page name it. */
export interface CatalogComponent {
  namespace: string;
  name: string;
}

/** Which catalog component a repository is, when the catalog declares it as one. */
export interface RepositoryComponents {
  componentOf(repository: string): Promise<CatalogComponent | undefined>;
}

/**
 * The component whose `agents.krate.dev/repository` annotation declares the repository (the
 * backend's repositories know it as `declaredBy`). A repository configured in
 * `agents.repositories` or declared by another kind of entity has none.
 */
export function catalogRepositoryComponents(
  repositories: Pick<Repositories, 'definition'>,
): RepositoryComponents {
  return {
    async componentOf(repository) {
      const declaredBy = (await repositories.definition(repository))
        ?.declaredBy;
      if (!declaredBy?.includes(':')) return undefined;
      try {
        const ref = parseEntityRef(declaredBy);
        return ref.kind.toLocaleLowerCase('en-US') === 'component'
          ? { namespace: ref.namespace, name: ref.name }
          : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
