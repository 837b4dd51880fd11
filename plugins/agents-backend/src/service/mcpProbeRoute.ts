import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AgentMcpServer,
  agentsResourcePermission,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { McpHealthController } from '../mcp';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { audited } from './audited';
import { queryString } from './requestParsing';
import { ResourceService } from './ResourceService';

export interface McpProbeRouteOptions {
  service: ResourceService;
  mcp: Pick<McpHealthController, 'probe'>;
  auditor: AuditorService;
}

const updateServer = agentsResourcePermission('AgentMcpServer', 'update');

/**
 * `POST /mcp-servers/:name/probe?namespace=`: probes the server now, writes its status as the
 * caller and answers the updated object. It writes the server, so it needs update on it.
 */
export function createMcpProbeRoute({
  service,
  mcp,
  auditor,
}: McpProbeRouteOptions) {
  const router = Router();
  router.post('/mcp-servers/:name/probe', async (req, res) => {
    await service.access.credentials(req);
    const namespace = queryString(req, 'namespace');
    if (!namespace) {
      throw new InputError('namespace: is required');
    }
    const { name } = req.params;
    const server = (await service.store.get(
      'AgentMcpServer',
      namespace,
      name,
    )) as AgentMcpServer | undefined;
    if (!server) {
      throw new NotFoundError(`AgentMcpServer ${namespace}/${name} not found`);
    }
    const credentials = await service.access.authorize(
      req,
      updateServer,
      server,
    );
    const probed = await audited(
      auditor,
      req,
      'mcp-server-probe',
      { kind: 'AgentMcpServer', namespace, name },
      () => mcp.probe(server, ResourceAccess.actorOf(credentials)),
    );
    res.json(probed);
  });
  return router;
}
