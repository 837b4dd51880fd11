/**
 * The values an AgentMcpServer's grants give it, resolved from its `spec.secretRefs`: for http
 * and sse each entry is an HTTP header (name → full header value), for stdio an environment
 * variable of the server's process. Only granted keys appear; the prober puts them into the
 * connection and nowhere else.
 */
export interface McpServerSecrets {
  forMcpServer(org: string, server: string): Promise<Record<string, string>>;
}
