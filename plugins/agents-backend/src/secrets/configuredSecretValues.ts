import { Config } from '@backstage/config';

/** Single secret settings of the agents backend (`@visibility secret` in config.d.ts). */
const SECRET_KEYS = [
  'agents.runtimes.agentMux.token',
  'agents.runtimes.claudeCode.apiKey',
  'agents.runtimes.codex.apiKey',
];

/** Lists of entries with a secret field: `<list>` → `<field>`. */
const SECRET_LIST_FIELDS: [string, string][] = [
  ['agents.webhooks', 'secret'],
  ['agents.repositories', 'token'],
  ['integrations.github', 'token'],
  ['integrations.gitlab', 'token'],
  ['integrations.gitea', 'password'],
];

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}

/**
 * Every secret value the configuration holds: the backend's own tokens and keys, webhook
 * secrets, repository and integration tokens, and the values of the embedded secret source's
 * Secrets (`agents.secrets.<org>.secrets`, not its ConfigMaps). The redactor removes them from
 * whatever a run stores or shows, so a value pasted into a prompt never reaches an event or a
 * context bundle either.
 */
export function configuredSecretValues(config: Config): string[] {
  const values = SECRET_KEYS.map(key => config.getOptionalString(key));
  for (const [list, field] of SECRET_LIST_FIELDS) {
    for (const entry of config.getOptionalConfigArray(list) ?? []) {
      values.push(entry.getOptionalString(field));
    }
  }
  const orgs = config.getOptional('agents.secrets');
  if (orgs && typeof orgs === 'object') {
    for (const org of Object.values(orgs)) {
      values.push(...stringsIn((org as { secrets?: unknown })?.secrets));
    }
  }
  return values.filter((value): value is string => Boolean(value));
}
