import {
  AgentStack,
  GRANT_KIND,
  grantCovers,
  describeNeed,
  SecretNeed,
} from '@krate/plugin-agents-common';
import { listingHolds, SecretSources } from '../../secrets/SecretSources';
import { StoredResource } from '../../resources/ResourceStore';
import { NamespaceReader } from '../NamespaceReader';
import { stackSecretNeeds } from './checkGrants';
import { StackReferences } from './collectReferences';
import { StackProblem } from './stackConditions';

/** What readiness may ask the secret sources: names and keys, never values. */
export type SecretPresence = Pick<SecretSources, 'list' | 'ids'>;

const CONFIG_SECTION = { Secret: 'secrets', ConfigMap: 'configMaps' };

function whereToAdd(org: string, need: SecretNeed, sources: string[]) {
  const places: string[] = [];
  if (sources.includes('config')) {
    places.push(
      `agents.secrets.${org}.${CONFIG_SECTION[need.source]}.${need.name}.${
        need.key
      } in the backend config`,
    );
  }
  if (sources.includes('kubernetes')) {
    places.push(
      `key ${need.key} of the ${need.source} ${need.name} in the org's cluster namespace`,
    );
  }
  return places.length ? places.join(' or ') : 'a secret source';
}

/**
 * Granted keys that no secret source holds: the grant is right, the value is missing. Keys no
 * grant covers are MissingGrant (checkGrants). Only the sources' listings are read, never a
 * value. When a source cannot list, a key it might hold is a warning, not a block.
 */
export async function checkSecrets(
  stack: AgentStack,
  references: StackReferences,
  reader: NamespaceReader,
  secrets: SecretPresence,
  now: Date,
): Promise<StackProblem[]> {
  const identity = stack.spec.runtimeServiceAccountName;
  if (!identity || !references.runtimeServiceAccount) return [];
  const needs = stackSecretNeeds(references);
  if (!needs.length) return [];
  const grants = {
    Secret: await reader.list(GRANT_KIND.Secret),
    ConfigMap: await reader.list(GRANT_KIND.ConfigMap),
  };
  const granted = needs
    .map(need => ({
      need,
      grant: grants[need.source].find(g => grantCovers(g, need, identity, now)),
    }))
    .filter((g): g is { need: SecretNeed; grant: StoredResource } =>
      Boolean(g.grant),
    );
  if (!granted.length) return [];
  const org = stack.metadata.namespace;
  const listing = await secrets.list(org);
  const missing = granted.filter(({ need }) => !listingHolds(listing, need));
  if (!missing.length) return [];
  const ref = `AgentStack ${org}/${stack.metadata.name}`;
  const describe = missing
    .map(
      ({ need, grant }) =>
        `${describeNeed(need)}, granted by ${grant.kind}/${
          grant.metadata.name
        }`,
    )
    .join('; ');
  if (listing.unavailable.length) {
    return [
      {
        severity: 'Warning',
        reason: 'SecretSourceUnavailable',
        message: `${ref} needs ${describe}, which no reachable secret source holds; ${listing.unavailable
          .map(u => `source ${u.from} could not list: ${u.message}`)
          .join('; ')}. Runs fail at launch if the key is really missing.`,
      },
    ];
  }
  return [
    {
      severity: 'Invalid',
      reason: 'MissingSecret',
      message: `${ref} needs ${describe}, but no secret source (${
        secrets.ids.join(', ') || 'none registered'
      }) holds ${missing.length > 1 ? 'these keys' : 'this key'}. Add ${missing
        .map(({ need }) => whereToAdd(org, need, secrets.ids))
        .join('; and ')}.`,
    },
  ];
}
