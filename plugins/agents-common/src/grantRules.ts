// Which keys MCP servers and skills need, and whether a grant covers them: one rule for the stack
// controller, launch, the permission review and the portal's prepared grants.

/** A Secret or ConfigMap key a grant hands out. @public */
export interface GrantKeyRef {
  source: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
}

/** An MCP server, skill or other consumer as a launch profile carries it. @public */
export interface NamedSpec {
  name: string;
  spec: Record<string, any>;
}

/** One key a consumer needs from a Secret or ConfigMap, and where it says so. @public */
export interface SecretNeed extends GrantKeyRef {
  consumer: { kind: 'mcp-server' | 'skill'; name: string };
  /** Where the need is declared, e.g. `AgentMcpServer/github spec.secretRefs[0]`. */
  field: string;
  /** For an MCP server: the environment variable or HTTP header that receives the value. */
  env?: string;
}

/**
 * Every Secret and ConfigMap key the MCP servers (`spec.secretRefs`) and skills
 * (`spec.requiredSecrets`, `spec.requiredConfig`) need; a skill listed twice counts once.
 * @public
 */
export function secretNeedsOf(consumers: {
  mcpServers: NamedSpec[];
  skills: NamedSpec[];
}): SecretNeed[] {
  const needs: SecretNeed[] = [];
  for (const server of consumers.mcpServers) {
    const refs = (server.spec.secretRefs ?? []) as {
      name: string;
      key: string;
      env?: string;
    }[];
    refs.forEach((r, i) =>
      needs.push({
        source: 'Secret',
        name: r.name,
        key: r.key,
        consumer: { kind: 'mcp-server', name: server.name },
        field: `AgentMcpServer/${server.name} spec.secretRefs[${i}]`,
        ...(r.env ? { env: r.env } : {}),
      }),
    );
  }
  const skills = new Map<string, NamedSpec>();
  for (const skill of consumers.skills) skills.set(skill.name, skill);
  for (const skill of skills.values()) {
    for (const [source, field] of [
      ['Secret', 'requiredSecrets'],
      ['ConfigMap', 'requiredConfig'],
    ] as const) {
      const refs = (skill.spec[field] ?? []) as { name: string; key: string }[];
      refs.forEach((r, i) =>
        needs.push({
          source,
          name: r.name,
          key: r.key,
          consumer: { kind: 'skill', name: skill.name },
          field: `AgentSkill/${skill.name} spec.${field}[${i}]`,
        }),
      );
    }
  }
  return needs;
}

/**
 * `Secret github-mcp key token (AgentMcpServer/github spec.secretRefs[0])`, for messages.
 * @public
 */
export function describeNeed(need: SecretNeed): string {
  return `${need.source} ${need.name} key ${need.key} (${need.field})`;
}

/** A grant as stored or as the API answers it. @public */
export interface GrantObject {
  metadata: { name: string };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

/** Where a grant's key comes from: the kind of secret object it names. @public */
export type SecretObjectKind = GrantKeyRef['source'];

/**
 * The grant kind of each source.
 * @public
 */
export const GRANT_KIND: Record<SecretObjectKind, string> = {
  Secret: 'AgentSecretGrant',
  ConfigMap: 'AgentConfigGrant',
};

/**
 * The grant's field naming its Secret or ConfigMap.
 * @public
 */
export const SOURCE_FIELD: Record<SecretObjectKind, string> = {
  Secret: 'secretName',
  ConfigMap: 'configMapName',
};

const CONSUMER_KINDS = ['tool', 'skill', 'mcp-server'];

type Subject = { kind: string; name: string };

const subjectsOf = (grant: GrantObject) =>
  (grant.spec?.subjects ?? []) as Subject[];

/**
 * Whether the grant is past its expiresAt or marked expired.
 * @public
 */
export function grantExpired(grant: GrantObject, now: Date): boolean {
  const expiresAt = grant.spec?.expiresAt as string | undefined;
  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) return true;
  return grant.status?.state === 'expired';
}

/**
 * Whether the grant hands out `ref` and is live for it: it names that object and key, is not
 * past expiresAt, not marked expired, and the key is not reported missing.
 * @public
 */
export function grantIsLiveFor(
  grant: GrantObject,
  ref: GrantKeyRef,
  now: Date,
): boolean {
  const spec = grant.spec ?? {};
  const status = grant.status;
  if (spec[SOURCE_FIELD[ref.source]] !== ref.name) return false;
  if (!((spec.keys ?? []) as string[]).includes(ref.key)) return false;
  if (grantExpired(grant, now)) return false;
  const missingKeys = status?.missingKeys as string[] | undefined;
  if (status?.state === 'missing' && !missingKeys?.length) return false;
  return !missingKeys?.includes(ref.key);
}

/**
 * Whether a grant's consumer subjects let `consumer` use its keys: none named means all may.
 * @public
 */
export function grantScopeAllows(
  grant: GrantObject,
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
 * @public
 */
export function grantCovers(
  grant: GrantObject,
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
 * @public
 */
export function grantCoversServer(
  grant: GrantObject,
  need: SecretNeed,
  now: Date,
): boolean {
  if (!grantIsLiveFor(grant, need, now)) return false;
  return subjectsOf(grant).some(
    s => s.kind === 'mcp-server' && s.name === need.consumer.name,
  );
}
