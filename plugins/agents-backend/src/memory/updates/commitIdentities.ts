import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CommitIdentity } from './MemoryPlumbing';

/** The git identity of an entity ref (a user, or `service:<subject>`). */
export type CommitIdentities = (entityRef: string) => Promise<CommitIdentity>;

export const NOREPLY_DOMAIN = 'users.noreply.krate.local';

/**
 * The identity of a ref without a catalog: the ref's name, and a no-reply address made from it
 * that can never reach anyone.
 */
export function fallbackIdentity(entityRef: string): CommitIdentity {
  const name = entityRef.slice(
    Math.max(entityRef.lastIndexOf('/'), entityRef.lastIndexOf(':')) + 1,
  );
  const local = name.replace(/[^A-Za-z0-9._-]/g, '-') || 'unknown';
  return { name: name || entityRef, email: `${local}@${NOREPLY_DOMAIN}` };
}

/**
 * Identities from the catalog's user entities (`spec.profile.displayName` and `email`), each part
 * falling back to `fallbackIdentity` when the catalog has no such user or cannot be read.
 */
export function catalogIdentities(options: {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}): CommitIdentities {
  return async entityRef => {
    const fallback = fallbackIdentity(entityRef);
    if (!entityRef.startsWith('user:')) return fallback;
    try {
      const entity = await options.catalog.getEntityByRef(entityRef, {
        credentials: await options.auth.getOwnServiceCredentials(),
      });
      const profile = (entity?.spec as any)?.profile ?? {};
      return {
        name:
          typeof profile.displayName === 'string' && profile.displayName.trim()
            ? profile.displayName.trim()
            : fallback.name,
        email:
          typeof profile.email === 'string' && profile.email.includes('@')
            ? profile.email.trim()
            : fallback.email,
      };
    } catch (error) {
      options.logger.warn(
        `Cannot read ${entityRef} from the catalog for a memory commit; using ${fallback.email}: ${error}`,
      );
      return fallback;
    }
  };
}
