import {
  AGENTS_API_GROUP_VERSION,
  PermissionSubject,
} from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';

/** Where a granted key lives. */
export type GrantSource = 'Secret' | 'ConfigMap';

export const GRANT_KIND = {
  Secret: 'AgentSecretGrant',
  ConfigMap: 'AgentConfigGrant',
} as const;

const SOURCE_FIELD = {
  Secret: 'secretName',
  ConfigMap: 'configMapName',
} as const;

/** A grant's subject, as AgentSecretGrant and AgentConfigGrant name them. */
export interface GrantSubject {
  kind: string;
  name: string;
}

const MAX_NAME = 63;

/** A DNS label from free text: lower-case letters, digits and `-`, at most 63 characters. */
export function dnsLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, MAX_NAME)
    .replace(/^-+|-+$/g, '');
}

/**
 * `base`, else `base-2`, `base-3`…: a name no object in `taken` has. Applying a new draft under
 * an existing name would replace that object, so prepared drafts never take one.
 */
export function unusedName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  const label = dnsLabel(base) || 'new';
  if (!names.has(label)) return label;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${label
      .slice(0, MAX_NAME - suffix.length)
      .replace(/-+$/, '')}${suffix}`;
    if (!names.has(candidate)) return candidate;
  }
}

export interface GrantDraftOptions {
  namespace: string;
  name: string;
  source: GrantSource;
  /** The Secret or ConfigMap. */
  sourceName: string;
  keys: string[];
  subjects: GrantSubject[];
  purpose: string;
}

/** An AgentSecretGrant or AgentConfigGrant of some keys to some subjects. */
export function grantDraft(options: GrantDraftOptions): AgentsResource {
  const { namespace, name, source, sourceName, keys, subjects, purpose } =
    options;
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: GRANT_KIND[source],
    metadata: { name, namespace },
    spec: { [SOURCE_FIELD[source]]: sourceName, keys, subjects, purpose },
  };
}

/** An AgentServiceAccount projected to a native ServiceAccount of the same name. */
export function serviceAccountDraft(
  namespace: string,
  name: string,
  purpose: 'agent' | 'runner' = 'agent',
): AgentsResource {
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: 'AgentServiceAccount',
    metadata: { name, namespace },
    spec: { purpose, serviceAccountName: name },
  };
}

/** An AgentRoleBinding of a ClusterRole Krate ships; the role is left to choose when unnamed. */
export function roleBindingDraft(
  namespace: string,
  name: string,
  subjects: PermissionSubject[] = [{ kind: 'user', name: '' }],
  role = '',
): AgentsResource {
  return {
    apiVersion: AGENTS_API_GROUP_VERSION,
    kind: 'AgentRoleBinding',
    metadata: { name, namespace },
    spec: { subjects, roleRef: { kind: 'ClusterRole', name: role } },
  };
}
