import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * The two kinds of named key/value objects grants refer to, as in Kubernetes.
 * @public
 */
export type SecretObjectKind = 'Secret' | 'ConfigMap';

/**
 * One key of a Secret or ConfigMap of an org.
 * @public
 */
export interface SecretKeyRef {
  source: SecretObjectKind;
  name: string;
  key: string;
}

/**
 * What a secret source says about one Secret or ConfigMap: names and keys, never values.
 * @public
 */
export interface SecretObjectMetadata {
  source: SecretObjectKind;
  name: string;
  keys: string[];
  /** When a value last changed, where the source knows it (ISO 8601). */
  lastRotationTime?: string;
  /** The id of the source that holds it, e.g. `config` or `kubernetes`. */
  from: string;
}

/**
 * Where the values of an org's Secrets and ConfigMaps live: configuration and the environment in
 * the embedded mode, the cluster's Secrets and ConfigMaps in Kubernetes mode. The backend reads a
 * value only to inject it into a consumer a grant names, and never stores or shows it.
 * @public
 */
export interface AgentSecretSource {
  /** Stable id, shown in the inventory as where an object lives. */
  readonly id: string;
  /** The org's Secrets and ConfigMaps this source holds, without values. */
  list(org: string): Promise<SecretObjectMetadata[]>;
  /** One value, or undefined when this source does not hold the key. */
  read(org: string, ref: SecretKeyRef): Promise<string | undefined>;
}

/**
 * Lets modules add secret sources to the agents backend; the first source that holds a key wins.
 * @public
 */
export interface AgentsSecretSourcesExtensionPoint {
  addSource(source: AgentSecretSource): void;
}

/**
 * Extension point for secret sources.
 * @public
 */
export const agentsSecretSourcesExtensionPoint =
  createExtensionPoint<AgentsSecretSourcesExtensionPoint>({
    id: 'agents.secret-sources',
  });

/**
 * The values granted to an attempt's consumers, resolved at launch and held in memory only: a
 * runtime puts each into the consumer it belongs to and nowhere else.
 * @public
 */
export interface LaunchSecrets {
  /**
   * Per MCP server (by name): environment variable (stdio) or HTTP header (http, sse) → value,
   * from the server's `spec.secretRefs`.
   */
  mcpServers: Record<string, Record<string, string>>;
  /** The agent's tool environment: variables the granted skills' keys are exposed as. */
  environment: Record<string, string>;
  /** Every value above, for the redactor. */
  values: string[];
}
