import { SecretKeyRef, SecretObjectKind } from '@krate/plugin-agents-node';
import { StoredResource } from '../resources/ResourceStore';
import { SecretNeed } from './secretNeeds';

/** The grant kind of each source. */
export const GRANT_KIND: Record<SecretObjectKind, string> = {
  Secret: 'AgentSecretGrant',
  ConfigMap: 'AgentConfigGrant',
};

/** The grant's field naming its Secret or ConfigMap. */
export const SOURCE_FIELD: Record<SecretObjectKind, string> = {
  Secret: 'secretName',
  ConfigMap: 'configMapName',
};

const CONSUMER_KINDS = ['tool', 'skill', 'mcp-server'];

type Subject = { kind: string; name: string };

const subjectsOf = (grant: StoredResource) =>
  (grant.spec.subjects ?? []) as Subject[];

/** Whether the grant is past its expiresAt or marked expired. */
export function grantExpired(grant: StoredResource, now: Date): boolean {
  const expiresAt = grant.spec.expiresAt as string | undefined;
  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) return true;
  return grant.status?.state === 'expired';
}

/**
 * Whether the grant hands out `ref` and is live for it: it names that object and key, is not
 * past expiresAt, not marked expired, and the key is not reported missing.
 */
export function grantIsLiveFor(
  grant: StoredResource,
  ref: SecretKeyRef,
  now: Date,
): boolean {
  const { spec, status } = grant;
  if (spec[SOURCE_FIELD[ref.source]] !== ref.name) return false;
  if (!((spec.keys ?? []) as string[]).includes(ref.key)) return false;
  if (grantExpired(grant, now)) return false;
  const missingKeys = status?.missingKeys as string[] | undefined;
  if (status?.state === 'missing' && !missingKeys?.length) return false;
  return !missingKeys?.includes(ref.key);
}

/** Whether a grant's consumer subjects let `consumer` use its keys: none named means all may. */
export function grantScopeAllows(
  grant: StoredResource,
  consumer: SecretNeed['consumer'],
): boolean {
  const scoped = subjectsOf(grant).filter(s => CONSUMER_KINDS.includes(s.kind));
  return (
    scoped.length === 0 ||
    scoped.some(s => s.kind === consumer.kind && s.name === consumer.name)
  );
}

/**
 * Whether a grant gives `identity` the key for `need`'s consumer. The values are mounted for the
 * agent's runtime identity, so a grant must name that AgentServiceAccount as an `agent`
 * subject; a grant that also names tools, skills or MCP servers is scoped to those consumers,
 * one that names none covers every consumer of the identity. A grant whose consumer subjects
 * alone match does not count: it says which consumer may use a key, not who may read it. The
 * grant must be live (see grantIsLiveFor).
 */
export function grantCovers(
  grant: StoredResource,
  need: SecretNeed,
  identity: string,
  now: Date,
): boolean {
  if (!grantIsLiveFor(grant, need, now)) return false;
  if (!subjectsOf(grant).some(s => s.kind === 'agent' && s.name === identity)) {
    return false;
  }
  return grantScopeAllows(grant, need.consumer);
}

/**
 * Whether a grant gives an MCP server its own key, for what the backend does as that server
 * (probing its health): a live grant of the key that names the server as an `mcp-server`
 * subject, with or without an agent subject. A grant that names no MCP server does not count.
 */
export function grantCoversServer(
  grant: StoredResource,
  need: SecretNeed,
  now: Date,
): boolean {
  if (!grantIsLiveFor(grant, need, now)) return false;
  return subjectsOf(grant).some(
    s => s.kind === 'mcp-server' && s.name === need.consumer.name,
  );
}
