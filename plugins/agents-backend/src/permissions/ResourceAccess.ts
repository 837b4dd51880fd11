import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ConditionTransformer,
  createConditionAuthorizer,
  createConditionTransformer,
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { Request } from 'express';
import { StoredResource } from '../resources/ResourceStore';
import { NamespaceQuery } from './rules';

type Caller = BackstageCredentials<
  BackstageUserPrincipal | BackstageServicePrincipal
>;

/** Who may do what: credentials from the request, decisions from the permission framework. */
export class ResourceAccess {
  readonly #authorizeConditions: (
    decision: Parameters<ReturnType<typeof createConditionAuthorizer>>[0],
    resource: StoredResource,
  ) => boolean;
  readonly #toNamespaceQuery: ConditionTransformer<NamespaceQuery>;

  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: Pick<
      PermissionsService,
      'authorizeConditional'
    >,
    ruleset: PermissionRuleset<StoredResource, NamespaceQuery>,
  ) {
    this.#authorizeConditions = createConditionAuthorizer(ruleset);
    this.#toNamespaceQuery = createConditionTransformer(ruleset);
  }

  async credentials(req: Request): Promise<Caller> {
    return this.httpAuth.credentials(req, { allow: ['user', 'service'] });
  }

  /** The actor recorded in audit trails: a user entity ref or `service:<subject>`. */
  static actorOf(credentials: Caller): string {
    const { principal } = credentials;
    return principal.type === 'user'
      ? principal.userEntityRef
      : `service:${principal.subject}`;
  }

  /** Throws NotAllowedError unless the caller may act on this object. */
  async authorize(
    req: Request,
    permission: ResourcePermission,
    object: StoredResource,
  ): Promise<Caller> {
    const credentials = await this.credentials(req);
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (!this.#authorizeConditions(decision, object)) {
      throw new NotAllowedError(
        `${permission.name} is not allowed on ${object.kind} ${object.metadata.namespace}/${object.metadata.name}`,
      );
    }
    return credentials;
  }

  /** Whether the caller may use each permission on this object, in one decision round. */
  async allowedOn(
    req: Request,
    permissions: ResourcePermission[],
    object: StoredResource,
  ): Promise<boolean[]> {
    const credentials = await this.credentials(req);
    const decisions = await this.permissions.authorizeConditional(
      permissions.map(permission => ({ permission })),
      { credentials },
    );
    return decisions.map(decision =>
      this.#authorizeConditions(decision, object),
    );
  }

  /**
   * For list routes: undefined when every namespace is allowed, else the allowed namespaces (an
   * empty list allows nothing).
   */
  async listScope(
    req: Request,
    permission: ResourcePermission,
  ): Promise<{ credentials: Caller; allowedNamespaces?: string[] }> {
    const credentials = await this.credentials(req);
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return { credentials };
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      throw new NotAllowedError(`${permission.name} is not allowed`);
    }
    return {
      credentials,
      allowedNamespaces: [
        ...namespacesOf(this.#toNamespaceQuery(decision.conditions)),
      ],
    };
  }
}

function namespacesOf(
  criteria: PermissionCriteria<NamespaceQuery>,
): Set<string> {
  if (isAndCriteria(criteria)) {
    return criteria.allOf
      .map(namespacesOf)
      .reduce((a, b) => new Set([...a].filter(n => b.has(n))));
  }
  if (isOrCriteria(criteria)) {
    return new Set(criteria.anyOf.flatMap(c => [...namespacesOf(c)]));
  }
  if (isNotCriteria(criteria)) {
    // "Everything but these orgs" cannot be listed without knowing every org: allow none.
    return new Set();
  }
  return new Set(criteria.namespaces);
}
