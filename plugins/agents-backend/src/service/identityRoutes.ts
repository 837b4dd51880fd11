import { agentsResourcePermission } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { AuditStore } from '../database/AuditStore';
import { authorizeInOrg } from '../permissions/authorizeInOrg';
import { ResourceAccess } from '../permissions/ResourceAccess';
import {
  CatalogDirectory,
  identitiesOverview,
  OrgAccess,
} from '../permissions/review';
import { ResourceStore } from '../resources/ResourceStore';
import { orgName, queryString } from './requestParsing';

export interface IdentityRoutesOptions {
  store: ResourceStore;
  audit: AuditStore;
  access: ResourceAccess;
  directory: () => CatalogDirectory;
}

const readServiceAccounts = agentsResourcePermission(
  'AgentServiceAccount',
  'read',
);

/** `GET /identities/overview`: who is who, with `agents.service-account.read` in the org. */
export function createIdentityRoutes({
  store,
  audit,
  access,
  directory,
}: IdentityRoutesOptions) {
  const router = Router();
  router.get('/identities/overview', async (req, res) => {
    await access.credentials(req);
    const org = orgName(queryString(req, 'namespace'), 'namespace');
    await authorizeInOrg(
      access,
      req,
      readServiceAccounts,
      'AgentServiceAccount',
      org,
      'Reading the identities',
    );
    res.json(
      await identitiesOverview(new OrgAccess(store, audit, org), directory()),
    );
  });
  return router;
}
