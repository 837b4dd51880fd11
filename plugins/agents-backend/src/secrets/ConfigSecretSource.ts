import { Config } from '@backstage/config';
import {
  AgentSecretSource,
  SecretKeyRef,
  SecretObjectKind,
  SecretObjectMetadata,
} from '@krate/plugin-agents-node';

const SECTION: Record<SecretObjectKind, 'secrets' | 'configMaps'> = {
  Secret: 'secrets',
  ConfigMap: 'configMaps',
};

type Block = Record<string, unknown>;

const isObject = (value: unknown): value is Block =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A config value as the string a consumer gets; objects and arrays are not values. */
function valueOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/**
 * The embedded mode's secrets: `agents.secrets.<org>.secrets.<name>.<key>` and
 * `agents.secrets.<org>.configMaps.<name>.<key>`. Values come from the environment through the
 * config's own `${VAR}` substitution; a variable that is unset leaves its key out. The config is
 * read on every call, so a reloaded config applies at once. Config does not know when a value
 * changed, so there is no lastRotationTime.
 */
export class ConfigSecretSource implements AgentSecretSource {
  readonly id = 'config';
  readonly #config: Config;

  constructor(config: Config) {
    this.#config = config;
  }

  async list(org: string): Promise<SecretObjectMetadata[]> {
    const objects: SecretObjectMetadata[] = [];
    for (const source of ['Secret', 'ConfigMap'] as const) {
      for (const [name, data] of Object.entries(this.#section(org, source))) {
        if (!isObject(data)) continue;
        const keys = Object.keys(data).filter(
          key => valueOf(data[key]) !== undefined,
        );
        objects.push({ source, name, keys, from: this.id });
      }
    }
    return objects;
  }

  async read(org: string, ref: SecretKeyRef): Promise<string | undefined> {
    const data = this.#section(org, ref.source)[ref.name];
    return isObject(data) ? valueOf(data[ref.key]) : undefined;
  }

  #section(org: string, source: SecretObjectKind): Block {
    // Read whole: a key such as `tls.crt` would be split as a path by a dotted lookup.
    const orgs = this.#config.getOptional('agents.secrets');
    if (!isObject(orgs)) return {};
    const block = orgs[org];
    if (!isObject(block)) return {};
    const section = block[SECTION[source]];
    return isObject(section) ? section : {};
  }
}
