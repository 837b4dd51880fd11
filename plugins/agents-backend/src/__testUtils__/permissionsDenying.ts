import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** A permissions service that allows everything but the permissions `isDenied` names. */
export function permissionsDenying(isDenied: (permission: string) => boolean) {
  return mockServices.permissions.mock({
    authorizeConditional: async requests =>
      requests.map(({ permission }) => ({
        result: isDenied(permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })) as any,
    authorize: async requests =>
      requests.map(({ permission }) => ({
        result: isDenied(permission.name)
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      })),
  });
}
