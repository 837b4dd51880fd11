/**
 * Any object of the agents.krate.dev API group, whatever its kind: what generic code (stores,
 * API clients, editors) handles before it knows the kind.
 * @public
 */
export interface AgentsObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: unknown[];
  };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}
