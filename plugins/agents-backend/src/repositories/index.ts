export { CatalogRepositories } from './CatalogRepositories';
export type { CatalogRepositoriesOptions } from './CatalogRepositories';
export { configuredRepositories } from './configuredRepositories';
export { Repositories } from './Repositories';
export type {
  LocatedRepository,
  RepositoriesOptions,
  RepositoryDescription,
} from './Repositories';
export type { RepositoryDefinition } from './RepositoryDefinition';
export { RepositoryMirrors } from './RepositoryMirrors';
export type { RepositoryMirrorsOptions } from './RepositoryMirrors';
export { createRepositories } from './createRepositories';
export { GitCredentials } from './GitCredentials';
