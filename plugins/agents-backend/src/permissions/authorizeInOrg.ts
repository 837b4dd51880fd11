import { NotAllowedError } from '@backstage/errors';
import { AgentsResourcePermission } from '@krate/plugin-agents-common';
import { Request } from 'express';
import { ResourceAccess } from './ResourceAccess';

/** Throws NotAllowedError unless the caller holds the permission on the kind in the org. */
export async function authorizeInOrg(
  access: ResourceAccess,
  req: Request,
  permission: AgentsResourcePermission,
  kind: string,
  org: string,
  what: string,
): Promise<void> {
  const [allowed] = await access.allowedOn(req, [permission], {
    apiVersion: '',
    kind,
    metadata: { namespace: org, name: org },
    spec: {},
  });
  if (!allowed) {
    throw new NotAllowedError(
      `${what} of ${org} needs ${permission.name} there`,
    );
  }
}
