import { InputError, NotAllowedError } from '@backstage/errors';
import {
  agentsResourcePermission,
  DNS_LABEL_PATTERN,
  SecretInventory,
} from '@krate/plugin-agents-common';
import Router from 'express-promise-router';
import { ResourceAccess } from '../permissions/ResourceAccess';
import { ResourceStore } from '../resources/ResourceStore';
import { readSecretInventory } from '../secrets/readSecretInventory';
import { SecretSources } from '../secrets/SecretSources';
import { queryString } from './requestParsing';

export interface SecretInventoryRouteOptions {
  access: ResourceAccess;
  store: ResourceStore;
  sources: Pick<SecretSources, 'list'>;
}

const NAMESPACE = new RegExp(DNS_LABEL_PATTERN);
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
    const [allowed] = await access.allowedOn(req, [readSecretGrants], {
      apiVersion: '',
      kind: 'AgentSecretGrant',
      metadata: { namespace: org, name: org },
      spec: {},
    });
    if (!allowed) {
      throw new NotAllowedError(
        `Reading the secret inventory of ${org} needs ${readSecretGrants.name} there`,
      );
    }
    const body: SecretInventory = await readSecretInventory({
      org,
      store,
      sources,
    });
    res.json(body);
  });
  return router;
}
