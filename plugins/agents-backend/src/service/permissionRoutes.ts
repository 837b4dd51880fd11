import { agentsResourcePermission } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { GrantAccessReview } from '../controllers/stack/checkGrants';
import { AuditStore } from '../database/AuditStore';
import { authorizeInOrg } from '../permissions/authorizeInOrg';
import { ResourceAccess } from '../permissions/ResourceAccess';
import {
  CatalogDirectory,
  OrgAccess,
  parseReviewRequest,
  permissionsOverview,
  reviewPermission,
} from '../permissions/review';
import { ResourceStore } from '../resources/ResourceStore';
import { orgName, queryString } from './requestParsing';

export interface PermissionRoutesOptions {
  store: ResourceStore;
  audit: AuditStore;
  access: ResourceAccess;
  /** A fresh directory per request: users' teams come from the catalog. */
  directory: () => CatalogDirectory;
  /** Kubernetes mode: asks the cluster about service accounts' grants. */
  cluster?: GrantAccessReview;
  now?: () => Date;
}

const readRoleBindings = agentsResourcePermission('AgentRoleBinding', 'read');

/**
 * `POST /permissions/review` and `GET /permissions/overview`. Both reveal an org's bindings,
 * so both need `agents.role-binding.read` there.
 */
export function createPermissionRoutes({
  store,
  audit,
  access,
  directory,
  cluster,
  now = () => new Date(),
}: PermissionRoutesOptions) {
  const router = Router();

  router.post('/permissions/review', async (req, res) => {
    await access.credentials(req);
    const review = parseReviewRequest(req.body);
    await authorizeInOrg(
      access,
      req,
      readRoleBindings,
      'AgentRoleBinding',
      review.namespace,
      'Reviewing the permissions',
    );
    res.json(
      await reviewPermission(
        review,
        new OrgAccess(store, audit, review.namespace),
        directory(),
        now(),
        cluster,
      ),
    );
  });

  router.get('/permissions/overview', async (req, res) => {
    await access.credentials(req);
    const org = orgName(queryString(req, 'namespace'), 'namespace');
    await authorizeInOrg(
      access,
      req,
      readRoleBindings,
      'AgentRoleBinding',
      org,
      'Reading the permissions',
    );
    res.json(
      await permissionsOverview(new OrgAccess(store, audit, org), directory()),
    );
  });

  return router;
}
