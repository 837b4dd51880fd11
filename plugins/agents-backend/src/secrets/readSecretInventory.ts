import {
  AccessWarning,
  SecretConsumerRef,
  SecretInventory,
  SecretInventoryItem,
  SecretKeyGrant,
  GRANT_KIND,
  grantExpired,
  grantIsLiveFor,
  grantScopeAllows,
  SOURCE_FIELD,
  secretNeedsOf,
} from '@krate/plugin-agents-common';
import { SecretKeyRef, SecretObjectKind } from '@krate/plugin-agents-node';
import { NamespaceReader } from '../controllers/NamespaceReader';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { listingHolds, SecretSources } from './SecretSources';

type KeyEntry = SecretInventoryItem['keys'][number];

const named = (object: StoredResource) => ({
  name: object.metadata.name,
  spec: object.spec,
});

function grantState(
  grant: StoredResource,
  key: string,
  present: boolean,
  now: Date,
): SecretKeyGrant['state'] {
  if (grantExpired(grant, now)) return 'expired';
  const missingKeys = grant.status?.missingKeys as string[] | undefined;
  if (grant.status?.state === 'missing' && !missingKeys?.length) {
    return 'missing';
  }
  return missingKeys?.includes(key) || !present ? 'missing' : 'active';
}

/**
 * The org's Secrets and ConfigMaps as the inventory shows them: each one a source holds or a
 * grant or consumer names, with its keys' consumers and grants, and what is wrong. Only the
 * sources' listings are read: the inventory never holds a value.
 */
export async function readSecretInventory(options: {
  org: string;
  store: ResourceStore;
  sources: Pick<SecretSources, 'list'>;
  now?: Date;
}): Promise<SecretInventory> {
  const { org } = options;
  const now = options.now ?? new Date();
  const reader = new NamespaceReader(options.store, org);
  const [listing, servers, skills, secretGrants, configGrants] =
    await Promise.all([
      options.sources.list(org),
      reader.list('AgentMcpServer'),
      reader.list('AgentSkill'),
      reader.list(GRANT_KIND.Secret),
      reader.list(GRANT_KIND.ConfigMap),
    ]);
  const grants = { Secret: secretGrants, ConfigMap: configGrants };
  const items = new Map<
    string,
    { item: SecretInventoryItem; keys: Map<string, KeyEntry> }
  >();
  const itemOf = (source: SecretObjectKind, name: string) => {
    const id = `${source}/${name}`;
    let object = items.get(id);
    if (!object) {
      object = { item: { source, name, keys: [] }, keys: new Map() };
      items.set(id, object);
    }
    return object;
  };
  const entryOf = (ref: SecretKeyRef): KeyEntry => {
    const { keys } = itemOf(ref.source, ref.name);
    let entry = keys.get(ref.key);
    if (!entry) {
      entry = {
        key: ref.key,
        present: listingHolds(listing, ref),
        consumers: [],
        grants: [],
      };
      keys.set(ref.key, entry);
    }
    return entry;
  };

  for (const held of listing.objects) {
    const { item } = itemOf(held.source, held.name);
    item.from = held.from;
    if (held.lastRotationTime) item.lastRotationTime = held.lastRotationTime;
    held.keys.forEach(key => entryOf({ ...held, key }));
  }
  const needs = secretNeedsOf({
    mcpServers: servers.map(named),
    skills: skills.map(named),
  });
  for (const need of needs) {
    const consumer: SecretConsumerRef = { ...need.consumer, field: need.field };
    entryOf(need).consumers.push(consumer);
  }
  const warnings: AccessWarning[] = [];
  for (const source of ['Secret', 'ConfigMap'] as const) {
    for (const grant of grants[source]) {
      const name = grant.spec[SOURCE_FIELD[source]] as string;
      const grantRef = `${GRANT_KIND[source]}/${grant.metadata.name}`;
      for (const key of (grant.spec.keys ?? []) as string[]) {
        const entry = entryOf({ source, name, key });
        entry.grants.push({
          kind: GRANT_KIND[source] as SecretKeyGrant['kind'],
          name: grant.metadata.name,
          subjects: (grant.spec.subjects ?? []) as SecretKeyGrant['subjects'],
          purpose: (grant.spec.purpose as string | undefined) ?? '',
          state: grantState(grant, key, entry.present, now),
          ...(grant.spec.expiresAt
            ? { expiresAt: grant.spec.expiresAt as string }
            : {}),
        });
      }
      if (grantExpired(grant, now)) {
        warnings.push({
          reason: 'GrantExpired',
          object: grantRef,
          message: `${grantRef} has expired${
            grant.spec.expiresAt ? ` (expiresAt ${grant.spec.expiresAt})` : ''
          }: ${source} ${name} keys ${(
            (grant.spec.keys ?? []) as string[]
          ).join(
            ', ',
          )} are no longer given to its subjects. Renew expiresAt or delete the grant.`,
        });
      }
    }
  }

  for (const unavailable of listing.unavailable) {
    warnings.push({
      reason: 'SecretSourceUnavailable',
      message: `Secret source ${unavailable.from} could not list the objects of ${org}: ${unavailable.message}`,
    });
  }
  for (const { item, keys } of items.values()) {
    const object = `${item.source}/${item.name}`;
    for (const entry of keys.values()) {
      const live = entry.grants.filter(g => g.state !== 'expired');
      if (!entry.present && live.length && !listing.unavailable.length) {
        warnings.push({
          reason: 'MissingSecret',
          object,
          message: `${item.source} ${item.name} key ${
            entry.key
          } is granted by ${live
            .map(g => `${g.kind}/${g.name}`)
            .join(', ')}, but no secret source holds it${
            entry.consumers.length
              ? `; ${entry.consumers
                  .map(c => `${c.kind}:${c.name}`)
                  .join(', ')} cannot get it`
              : ''
          }. Add the key to the ${
            item.source
          } (backend config agents.secrets.${org}, or the cluster).`,
        });
      }
    }
  }
  for (const need of needs) {
    const covered = grants[need.source].some(
      grant =>
        grantIsLiveFor(grant, need, now) &&
        grantScopeAllows(grant, need.consumer),
    );
    if (!covered) {
      const kind =
        need.consumer.kind === 'mcp-server' ? 'AgentMcpServer' : 'AgentSkill';
      warnings.push({
        reason: 'MissingGrant',
        object: `${kind}/${need.consumer.name}`,
        message: `${need.source} ${need.name} key ${need.key}, needed by ${
          need.consumer.kind
        }:${need.consumer.name} (${need.field}), is given to it by no live ${
          GRANT_KIND[need.source]
        }. Create one naming the key with subject ${need.consumer.kind}:${
          need.consumer.name
        } and the agent service accounts of the stacks that use it.`,
      });
    }
  }

  const byName = <T extends { name: string }>(a: T, b: T) =>
    a.name.localeCompare(b.name);
  const order: Record<SecretObjectKind, number> = { Secret: 0, ConfigMap: 1 };
  return {
    items: [...items.values()]
      .map(({ item, keys }) => ({
        ...item,
        keys: [...keys.values()].sort((a, b) => a.key.localeCompare(b.key)),
      }))
      .sort((a, b) => order[a.source] - order[b.source] || byName(a, b)),
    warnings,
  };
}
