import {
  agentsResourcePermission,
  SecretInventory,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { authorizeInOrg } from '../permissions/authorizeInOrg';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { ResourceStore } from '../resources/ResourceStore';
import { readSecretInventory } from '../secrets/readSecretInventory';
import { SecretSources } from '../secrets/SecretSources';
import { orgName, queryString } from './requestParsing';

export interface SecretInventoryRouteOptions {
  access: ResourceAccess;
  store: ResourceStore;
  sources: Pick<SecretSources, 'list'>;
}

const readSecretGrants = agentsResourcePermission('AgentSecretGrant', 'read');

/**
 * `GET /secrets/inventory?namespace=<org>`: the org's Secrets and ConfigMaps with their keys,
 * consumers and grants, never a value. Whoever may read the org's AgentSecretGrants may read it.
 */
export function createSecretInventoryRoute({
  access,
  store,
  sources,
}: SecretInventoryRouteOptions) {
  const router = Router();
  router.get('/secrets/inventory', async (req, res) => {
    const org = orgName(queryString(req, 'namespace'), 'namespace');
    await authorizeInOrg(
      access,
      req,
      readSecretGrants,
      'AgentSecretGrant',
      org,
      'Reading the secret inventory',
    );
    const body: SecretInventory = await readSecretInventory({
      org,
      store,
      sources,
    });
    res.json(body);
  });
  return router;
}
