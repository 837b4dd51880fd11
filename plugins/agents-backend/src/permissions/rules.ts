import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { AGENTS_RESOURCE_TYPE } from '@krate/plugin-agents-common';
import { z } from 'zod';
import { StoredResource } from '../resources/ResourceStore';

/** What a conditional decision turns into for list queries: the namespaces (orgs) allowed. */
export interface NamespaceQuery {
  namespaces: string[];
}

export const agentsResourceRef = createPermissionResourceRef<
  StoredResource,
  NamespaceQuery
>().with({ pluginId: 'agents', resourceType: AGENTS_RESOURCE_TYPE });

/** Allows resources in the given orgs (namespaces): the rule org-scoped policies build on. */
export const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow agents resources in the given namespaces (orgs)',
  resourceRef: agentsResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Namespaces (orgs) to allow'),
  }),
  apply: (resource, { namespaces }) =>
    namespaces.includes(resource.metadata.namespace),
  toQuery: ({ namespaces }) => ({ namespaces }),
});

export const agentsPermissionRules = [isInNamespace];

/** The resource ref the permission framework uses for an object: `kind:namespace/name`. */
export function toResourceRef(object: {
  kind: string;
  metadata: { namespace: string; name: string };
}): string {
  return `${object.kind}:${object.metadata.namespace}/${object.metadata.name}`;
}

export function parseResourceRef(
  ref: string,
): { kind: string; namespace: string; name: string } | undefined {
  const match = ref.match(/^([A-Za-z]+):([^/]+)\/(.+)$/);
  return match
    ? { kind: match[1], namespace: match[2], name: match[3] }
    : undefined;
}
