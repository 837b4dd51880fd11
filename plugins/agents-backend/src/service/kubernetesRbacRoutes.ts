import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { agentsResourcePermission } from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import {
  NativeRbacItem,
  NativeRbacReader,
} from '../kubernetes/rbac/NativeRbacReader';
import { apiStatusOf } from '../kubernetes/rbac/kubernetesApiErrors';
import { authorizeInOrg } from '../permissions/authorizeInOrg';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { orgName, queryString } from './requestParsing';

export interface KubernetesRbacRoutesOptions {
  access: ResourceAccess;
  /** Absent when Kubernetes mode (or its RBAC projection) is off. */
  reader?: Pick<NativeRbacReader, 'list'>;
  logger: LoggerService;
}

const readRoleBindings = agentsResourcePermission('AgentRoleBinding', 'read');

/**
 * `GET /kubernetes/rbac?namespace=<org>`: the native RBAC of the org's cluster namespace,
 * Krate's projections and the objects it imports read-only. Whoever may read the org's
 * AgentRoleBindings may read it.
 */
export function createKubernetesRbacRoutes({
  access,
  reader,
  logger,
}: KubernetesRbacRoutesOptions) {
  const router = Router();
  router.get('/kubernetes/rbac', async (req, res) => {
    const org = orgName(queryString(req, 'namespace'), 'namespace');
    await authorizeInOrg(
      access,
      req,
      readRoleBindings,
      'AgentRoleBinding',
      org,
      'Reading the native RBAC',
    );
    if (!reader) {
      throw new NotFoundError(
        'Kubernetes mode is off: this backend keeps no native RBAC (agents.kubernetes is not configured)',
      );
    }
    let items: NativeRbacItem[];
    try {
      items = await reader.list(org);
    } catch (error) {
      const status = apiStatusOf(error);
      logger.warn(
        `Could not read the native RBAC of ${org}`,
        isError(error) ? error : undefined,
      );
      throw new ServiceUnavailableError(
        status
          ? `The Kubernetes cluster refused to list the RBAC of ${org} (HTTP ${status})`
          : `The Kubernetes cluster is unreachable; the RBAC of ${org} cannot be read`,
      );
    }
    res.json({ items });
  });
  return router;
}
