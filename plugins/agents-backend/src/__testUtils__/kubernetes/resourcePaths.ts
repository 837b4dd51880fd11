import { ResourceRegistry } from './ResourceRegistry';

/** A request path that addresses resources, e.g. `/apis/g/v/namespaces/ns/plural/name/status`. */
export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

/** Splits a resource path; `undefined` for discovery and other non-resource paths. */
export function parseResourcePath(
  path: string,
  registry: ResourceRegistry,
): ResourcePath | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    registry.find(group, version, rest[2])?.namespaced
  ) {
    const [, namespace, resource, name, subresource] = rest;
    if (rest.length > 5) return undefined;
    return { group, version, namespace, resource, name, subresource };
  }
  if (rest.length > 3) return undefined;
  const [resource, name, subresource] = rest;
  return { group, version, resource, name, subresource };
}
