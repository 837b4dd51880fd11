import { mockServices } from '@backstage/backend-test-utils';

/**
 * A permissions service that allows everything but the permissions `isDenied` names (as the
 * agents backend's tests deny). `'ALLOW'`/`'DENY'` are `AuthorizeResult`'s values.
 */
export function permissionsDenying(isDenied: (permission: string) => boolean) {
  const decide = (requests: { permission: { name: string } }[]) =>
    requests.map(({ permission }) => ({
      result: isDenied(permission.name) ? 'DENY' : 'ALLOW',
    })) as any;
  return mockServices.permissions.mock({
    authorize: async requests => decide(requests),
    authorizeConditional: async requests => decide(requests),
  });
}
