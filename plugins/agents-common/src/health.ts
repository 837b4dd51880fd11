/** Storage dialects the agents backend runs on. @public */
export type AgentsStorageDialect = 'sqlite' | 'postgres';

/** Body of `GET /api/agents/health`. @public */
export interface AgentsHealth {
  status: 'ok';
  /** Version of the `@krate/plugin-agents-backend` package serving the request. */
  version: string;
  storage: {
    dialect: AgentsStorageDialect;
  };
}
