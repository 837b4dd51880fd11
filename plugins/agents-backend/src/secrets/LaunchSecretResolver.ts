import { NotFoundError } from '@backstage/errors';
import { LaunchProfile, LaunchSecrets } from '@krate/plugin-agents-node';
import { NamespaceReader } from '../controllers/NamespaceReader';
import { envNameOf } from '../kubernetes/pods/runnerSecretEnv';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import {
  GRANT_KIND,
  grantCovers,
  grantCoversServer,
  describeNeed,
  NamedSpec,
  SecretNeed,
  secretNeedsOf,
} from '@krate/plugin-agents-common';
import { SecretSources } from './SecretSources';

/** A need that cannot be met; the message names key, consumer and grant, never a value. */
export class SecretResolutionError extends Error {
  readonly name = 'SecretResolutionError';
}

export interface LaunchSecretResolverOptions {
  store: ResourceStore;
  sources: SecretSources;
  now?: () => Date;
}

type Covers = (grant: StoredResource, need: SecretNeed) => boolean;

/**
 * Reads, at launch, the values a stack's consumers are granted: only keys a live grant gives the
 * runtime identity for that consumer (the rule readiness checks with), each from the first
 * secret source that holds it. The result lives in memory for one attempt and is never stored.
 */
export class LaunchSecretResolver {
  readonly #store: ResourceStore;
  readonly #sources: SecretSources;
  readonly #now: () => Date;

  constructor(options: LaunchSecretResolverOptions) {
    this.#store = options.store;
    this.#sources = options.sources;
    this.#now = options.now ?? (() => new Date());
  }

  /** The values of the profile's MCP servers and skills; throws when one is not granted or held. */
  async resolve(org: string, profile: LaunchProfile): Promise<LaunchSecrets> {
    const needs = secretNeedsOf({
      mcpServers: profile.mcpServers,
      skills: [
        ...profile.skills,
        ...profile.subagents.flatMap(s => (s.spec.skills ?? []) as NamedSpec[]),
      ],
    });
    const secrets: LaunchSecrets = {
      mcpServers: {},
      environment: {},
      values: [],
    };
    if (!needs.length) return secrets;
    const identity = profile.runtimeServiceAccount;
    if (!identity) {
      throw new SecretResolutionError(
        `Stack ${profile.stack} needs ${needs
          .map(describeNeed)
          .join(
            ', ',
          )}, but has no runtime service account to hold grants for them`,
      );
    }
    const now = this.#now();
    const values = await this.#read(
      org,
      needs,
      (grant, need) => grantCovers(grant, need, identity, now),
      need =>
        `no live ${GRANT_KIND[need.source]} gives it to agent:${identity} for ${
          need.consumer.kind
        }:${need.consumer.name}`,
    );
    const problems: string[] = [];
    needs.forEach((need, i) => {
      const value = values[i];
      if (need.consumer.kind === 'mcp-server') {
        const server = (secrets.mcpServers[need.consumer.name] ??= {});
        server[need.env ?? envNameOf(need.key)] = value;
      } else {
        const name = envNameOf(need.key);
        const taken = secrets.environment[name];
        if (taken !== undefined && taken !== value) {
          problems.push(
            `${describeNeed(
              need,
            )} would be exposed as ${name}, which another key of the stack's skills already takes`,
          );
        }
        secrets.environment[name] ??= value;
      }
    });
    if (problems.length) {
      throw new SecretResolutionError(
        `The granted keys of stack ${
          profile.stack
        } cannot be injected: ${problems.join('; ')}. Rename one of the keys.`,
      );
    }
    secrets.values = [...new Set(values)];
    return secrets;
  }

  /**
   * The headers (http, sse) or environment (stdio) of one MCP server, for what the backend does
   * as that server itself, such as probing its health: grants that name the server as an
   * `mcp-server` subject count without an agent subject (see grantCoversServer).
   */
  async forMcpServer(
    org: string,
    serverName: string,
  ): Promise<Record<string, string>> {
    const server = await this.#store.get('AgentMcpServer', org, serverName);
    if (!server) {
      throw new NotFoundError(`AgentMcpServer ${org}/${serverName} not found`);
    }
    const needs = secretNeedsOf({
      mcpServers: [{ name: serverName, spec: server.spec }],
      skills: [],
    });
    const now = this.#now();
    const values = await this.#read(
      org,
      needs,
      (grant, need) => grantCoversServer(grant, need, now),
      need =>
        `no live ${GRANT_KIND[need.source]} names mcp-server:${
          need.consumer.name
        } as a subject`,
    );
    const headers: Record<string, string> = {};
    needs.forEach((need, i) => {
      headers[need.env ?? envNameOf(need.key)] = values[i];
    });
    return headers;
  }

  /** Each need's value, in order; one error naming every need that is not granted or held. */
  async #read(
    org: string,
    needs: SecretNeed[],
    covers: Covers,
    ungranted: (need: SecretNeed) => string,
  ): Promise<string[]> {
    if (!needs.length) return [];
    const reader = new NamespaceReader(this.#store, org);
    const grants = {
      Secret: await reader.list(GRANT_KIND.Secret),
      ConfigMap: await reader.list(GRANT_KIND.ConfigMap),
    };
    const problems: string[] = [];
    const values = await Promise.all(
      needs.map(async need => {
        const grant = grants[need.source].find(g => covers(g, need));
        if (!grant) {
          problems.push(`${describeNeed(need)}: ${ungranted(need)}`);
          return '';
        }
        const grantRef = `${grant.kind}/${grant.metadata.name}`;
        try {
          const read = await this.#sources.read(org, need);
          if (read) return read.value;
          problems.push(
            `${describeNeed(
              need,
            )}: granted by ${grantRef}, but no secret source (${this.#sources.ids.join(
              ', ',
            )}) holds it`,
          );
        } catch (error) {
          problems.push(
            `${describeNeed(
              need,
            )}: granted by ${grantRef}, but reading it failed: ${
              (error as Error).message
            }`,
          );
        }
        return '';
      }),
    );
    if (problems.length) {
      throw new SecretResolutionError(
        `Secrets of namespace ${org} cannot be resolved: ${problems.join(
          '; ',
        )}`,
      );
    }
    return values;
  }
}
