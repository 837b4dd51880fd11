import { permissionApiRef } from '@backstage/plugin-permission-react';
import { MockPermissionApi } from '@backstage/test-utils';

type Decide = NonNullable<ConstructorParameters<typeof MockPermissionApi>[0]>;
type Result = ReturnType<Decide>;

/** A permission API pair for `TestApiProvider`: allows all, or denies the named permissions. */
export function mockPermissions(denied: string[] = []) {
  const api = new MockPermissionApi(
    request =>
      (denied.includes(request.permission.name) ? 'DENY' : 'ALLOW') as Result,
  );
  return [permissionApiRef, api] as const;
}
