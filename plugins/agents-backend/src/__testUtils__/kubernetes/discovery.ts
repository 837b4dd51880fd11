import { ResourceRegistry, ResourceType } from './ResourceRegistry';

/** The version the double claims; kubectl 1.20 only needs it to parse. */
export const SERVER_VERSION = {
  major: '1',
  minor: '20',
  gitVersion: 'v1.20.15-krate-double',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-01-01T00:00:00Z',
  goVersion: 'go1.19',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const SERVER_ADDRESSES = [
  { clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' },
];

/** `GET /api`: the legacy core group's versions. */
export function coreApiVersions() {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: SERVER_ADDRESSES,
  };
}

/** `GET /apis`: every named group with its versions. */
export function apiGroupList(registry: ResourceRegistry) {
  const groups = [...registry.groups()]
    .filter(([group]) => group !== '')
    .map(([name, versions]) => {
      const groupVersions = versions.map(version => ({
        groupVersion: `${name}/${version}`,
        version,
      }));
      return {
        name,
        versions: groupVersions,
        preferredVersion: groupVersions[0],
      };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`: one group. */
export function apiGroup(registry: ResourceRegistry, group: string) {
  return apiGroupList(registry).groups.find(g => g.name === group);
}

function resourceEntries(type: ResourceType) {
  const main = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.verbs,
    ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories?.length ? { categories: type.categories } : {}),
    storageVersionHash: Buffer.from(
      `${type.group}/${type.version}/${type.kind}`,
    )
      .toString('base64')
      .slice(0, 11),
  };
  const subresources = type.subresources.map(sub => ({
    name: `${type.resource}/${sub}`,
    singularName: '',
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
  }));
  return [main, ...subresources];
}

/** `GET /api/v1` or `/apis/<group>/<version>`: the APIResourceList. */
export function apiResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
) {
  const types = registry
    .all()
    .filter(t => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}
