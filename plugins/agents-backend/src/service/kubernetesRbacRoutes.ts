import { LoggerService } from '@backstage/backend-plugin-api';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  agentsResourcePermission,
  DNS_LABEL_PATTERN,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import {
  NativeRbacItem,
  NativeRbacReader,
} from '../kubernetes/rbac/NativeRbacReader';
import { apiStatusOf } from '../kubernetes/rbac/kubernetesApiErrors';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { queryString } from './requestParsing';

export interface KubernetesRbacRoutesOptions {
  access: ResourceAccess;
  /** Absent when Kubernetes mode (or its RBAC projection) is off. */
  reader?: Pick<NativeRbacReader, 'list'>;
  logger: LoggerService;
}

const NAMESPACE = new RegExp(DNS_LABEL_PATTERN);
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
    const org = queryString(req, 'namespace');
    if (!org) {
      throw new InputError('namespace: is required');
    }
    if (org.length > 63 || !NAMESPACE.test(org)) {
      throw new InputError(
        `namespace: '${org.slice(
          0,
          63,
        )}' is not a namespace name (lowercase letters, digits and '-', at most 63)`,
      );
    }
    const [allowed] = await access.allowedOn(req, [readRoleBindings], {
      apiVersion: '',
      kind: 'AgentRoleBinding',
      metadata: { namespace: org, name: org },
      spec: {},
    });
    if (!allowed) {
      throw new NotAllowedError(
        `Reading the native RBAC of ${org} needs ${readRoleBindings.name} there`,
      );
    }
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
