import {
  AuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { memoryReadPermission } from '@krate/plugin-agents-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { Request } from 'express';
import { MEMORY_RESOURCE_KIND } from '../../permissions/permissionResources';
import { ResourceAccess } from '../../permissions/ResourceAccess';
import { StoredResource } from '../../resources/ResourceStore';
import { NamespaceQuery } from '../../permissions/rules';
import { MemoryReader } from '../visibility';

/** Whoever asks a run's memory: checked once per org, then reads as who they are. */
export interface MemoryRequester {
  /**
   * Checks the requester holds `agents.memory.read` on the org's memory (NotAllowedError
   * otherwise) and answers as whom they read: a user with their ownership refs, a service
   * with none (org-wide records only).
   */
  readerFor(org: string): Promise<MemoryReader>;
}

/** The permission resource of an org's memory. */
export function memoryResourceOf(org: string): StoredResource {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: MEMORY_RESOURCE_KIND,
    metadata: { namespace: org, name: 'memory' },
    spec: {},
  };
}

/** The caller of an HTTP request; a user reads with their ownership refs from user info. */
export function httpMemoryRequester(
  req: Request,
  access: ResourceAccess,
  userInfo?: UserInfoService,
): MemoryRequester {
  return {
    async readerFor(org) {
      const credentials = await access.authorize(
        req,
        memoryReadPermission,
        memoryResourceOf(org),
      );
      if (credentials.principal.type !== 'user' || !userInfo) {
        return { ownershipRefs: [] };
      }
      const info = await userInfo.getUserInfo(credentials);
      return { ownershipRefs: info.ownershipEntityRefs };
    },
  };
}

/**
 * The plugin itself, for runs nobody dispatched by hand (trigger rules, follow-ups): checked
 * with the plugin's own service credentials, reading org-wide records only.
 */
export function serviceMemoryRequester(options: {
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  permissions: Pick<PermissionsService, 'authorizeConditional'>;
  ruleset: PermissionRuleset<StoredResource, NamespaceQuery>;
}): MemoryRequester {
  const allows = createConditionAuthorizer(options.ruleset);
  return {
    async readerFor(org) {
      const credentials = await options.auth.getOwnServiceCredentials();
      const [decision] = await options.permissions.authorizeConditional(
        [{ permission: memoryReadPermission }],
        { credentials },
      );
      const resource = memoryResourceOf(org);
      if (!allows(decision, resource)) {
        throw new NotAllowedError(
          `${memoryReadPermission.name} is not allowed on ${MEMORY_RESOURCE_KIND} ${org}/memory`,
        );
      }
      return { ownershipRefs: [] };
    },
  };
}
