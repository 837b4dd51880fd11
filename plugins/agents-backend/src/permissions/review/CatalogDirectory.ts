import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How many users and how many groups the identities overview reads from the catalog. */
export const CATALOG_PAGE_LIMIT = 500;

/** A user's team memberships, or why they are unknown. */
export type Membership =
  | { found: true; teams: string[] }
  | { found: false; why: 'not-in-catalog' | 'catalog-unavailable' };

export interface CatalogEntry {
  ref: string;
  displayName?: string;
  /** Users: the groups they are a member of; groups: their members. */
  related: string[];
}

const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'spec.profile.displayName',
  'spec.memberOf',
  'relations',
];

/**
 * Users and groups from the catalog, read with the backend's own credentials. One instance
 * serves one request, so a user asked about twice costs one read.
 */
export class CatalogDirectory {
  readonly #catalog?: CatalogService;
  readonly #auth?: AuthService;
  readonly #memberships = new Map<string, Promise<Membership>>();

  constructor(options?: { catalog: CatalogService; auth: AuthService }) {
    this.#catalog = options?.catalog;
    this.#auth = options?.auth;
  }

  /** The groups a user is a member of: `spec.memberOf` and `memberOf` relations. */
  membershipOf(userRef: string): Promise<Membership> {
    let read = this.#memberships.get(userRef);
    if (!read) {
      read = this.#readMembership(userRef);
      this.#memberships.set(userRef, read);
    }
    return read;
  }

  /** The first {@link CATALOG_PAGE_LIMIT} entities of a kind, by name; undefined without a catalog. */
  async list(kind: 'User' | 'Group'): Promise<CatalogEntry[] | undefined> {
    if (!this.#catalog || !this.#auth) return undefined;
    try {
      const { items } = await this.#catalog.getEntities(
        {
          filter: { kind },
          fields: FIELDS,
          order: { field: 'metadata.name', order: 'asc' },
          limit: CATALOG_PAGE_LIMIT,
        },
        { credentials: await this.#auth.getOwnServiceCredentials() },
      );
      return items.map(entity => ({
        ref: refOf(entity),
        displayName: displayNameOf(entity),
        related: kind === 'User' ? teamsOf(entity) : membersOf(entity),
      }));
    } catch {
      return undefined;
    }
  }

  async #readMembership(userRef: string): Promise<Membership> {
    if (!this.#catalog || !this.#auth) {
      return { found: false, why: 'catalog-unavailable' };
    }
    let entity: Entity | undefined;
    try {
      entity = await this.#catalog.getEntityByRef(userRef, {
        credentials: await this.#auth.getOwnServiceCredentials(),
      });
    } catch {
      return { found: false, why: 'catalog-unavailable' };
    }
    if (!entity) return { found: false, why: 'not-in-catalog' };
    return { found: true, teams: teamsOf(entity) };
  }
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLowerCase();
}

function displayNameOf(entity: Entity): string | undefined {
  const profile = (entity.spec as { profile?: { displayName?: unknown } })
    ?.profile;
  const name = profile?.displayName ?? entity.metadata.title;
  return typeof name === 'string' ? name : undefined;
}

function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef.toLowerCase());
}

function teamsOf(entity: Entity): string[] {
  const declared = (entity.spec as { memberOf?: unknown })?.memberOf;
  const refs = Array.isArray(declared)
    ? declared.flatMap(ref => {
        try {
          return [
            stringifyEntityRef(
              parseEntityRef(String(ref), {
                defaultKind: 'group',
                defaultNamespace: entity.metadata.namespace ?? 'default',
              }),
            ).toLowerCase(),
          ];
        } catch {
          return [];
        }
      })
    : [];
  return [...new Set([...refs, ...relationTargets(entity, 'memberOf')])].sort();
}

function membersOf(entity: Entity): string[] {
  return [...new Set(relationTargets(entity, 'hasMember'))].sort();
}
