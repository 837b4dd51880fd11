import { InputError, NotAllowedError } from '@backstage/errors';
import {
  agentKinds,
  agentsResourcePermission,
  DNS_LABEL_PATTERN,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { queryString } from './requestParsing';

export interface AuditVerifyRouteOptions {
  audit: Pick<AuditStore, 'verify'>;
  access: ResourceAccess;
}

const ORG = new RegExp(DNS_LABEL_PATTERN);
const readPermissions = agentKinds.map(({ kind }) =>
  agentsResourcePermission(kind, 'read'),
);

/**
 * `GET /audit/verify?org=`: walks the org's audit hash chain. The chain holds records of every
 * kind, and the answer speaks of them (how many, which one is broken), so the caller needs what
 * `GET /audit` asks for each of them: read on every kind in that org.
 */
export function createAuditVerifyRoute({
  audit,
  access,
}: AuditVerifyRouteOptions) {
  const router = Router();
  router.get('/audit/verify', async (req, res) => {
    const org = queryString(req, 'org');
    if (!org) {
      throw new InputError('org: is required');
    }
    if (org.length > 63 || !ORG.test(org)) {
      const shown = org.slice(0, 63);
      throw new InputError(
        `org: '${shown}' is not a namespace name (lowercase letters, digits and '-', at most 63)`,
      );
    }
    // Decided on the org itself: the IS_IN_NAMESPACE rule looks at the namespace only.
    const allowed = await access.allowedOn(req, readPermissions, {
      apiVersion: '',
      kind: 'Namespace',
      metadata: { namespace: org, name: org },
      spec: {},
    });
    const denied = readPermissions.filter((_, i) => !allowed[i]);
    if (denied.length > 0) {
      const names = denied.map(p => p.name).join(', ');
      throw new NotAllowedError(
        `Verifying the audit chain of org ${org} needs read on every kind there; not allowed: ${names}`,
      );
    }
    res.json(await audit.verify(org));
  });
  return router;
}
