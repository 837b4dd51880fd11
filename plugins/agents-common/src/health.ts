/** Storage dialects the agents backend runs on. @public */
export type AgentsStorageDialect = 'sqlite' | 'postgres';

/** Body of `GET /api/agents/health`. @public */
export interface AgentsHealth {
  /** `degraded`: the backend serves, but Kubernetes mode reports a problem (see `kubernetes`). */
  status: 'ok' | 'degraded';
  /** Version of the `@krate/plugin-agents-backend` package serving the request. */
  version: string;
  storage: {
    dialect: AgentsStorageDialect;
  };
  /** Present in Kubernetes mode. */
  kubernetes?: KubernetesHealth;
}

/**
 * Whether the cluster of Kubernetes mode can serve: `unavailable` when its API server does not
 * answer, `degraded` when CRDs or the backend's permissions are missing or an informer has not
 * synced. @public
 */
export interface KubernetesHealth {
  status: 'ok' | 'degraded' | 'unavailable';
  /** The API server's URL. */
  server: string;
  /** The API server's version, when it answered. */
  version?: string;
  /** One sentence saying what is wrong and what to do, or that all is well. */
  message: string;
  /** Names of CRDs of cluster-backed kinds that are not installed. */
  missingCrds: string[];
  /** What the backend's identity may not do, e.g. `watch agentstacks.agents.krate.dev`. */
  missingPermissions: string[];
  /** One per cluster-backed kind. */
  informers?: {
    kind: string;
    synced: boolean;
    lastError?: string;
    lastSyncAt?: string;
  }[];
}
