import { AgentLaunch } from '@krate/plugin-agents-node';
import { mcpServerSecrets } from '../mcpServerSecrets';

const TRANSPORTS: Record<string, string> = {
  stdio: 'stdio',
  sse: 'sse',
  http: 'streamable-http',
};

/**
 * The stack's MCP servers as RunOptions `mcpServers`: a stdio server gets its granted values as
 * `env`, an sse or streamable-http one as `headers`. A server whose secrets were not granted is
 * left out with a warning naming the key.
 */
function mcpServers(launch: AgentLaunch, warnings: string[]) {
  const servers: Record<string, unknown>[] = [];
  for (const server of launch.profile.mcpServers) {
    const { name, spec } = server;
    const transport = TRANSPORTS[spec.transport];
    const secrets = mcpServerSecrets(launch, server);
    const values = secrets.values ?? {};
    const withValues = (field: string) =>
      Object.keys(values).length ? { [field]: values } : {};
    if (secrets.missing !== undefined) {
      warnings.push(`MCP server ${name} is left out: ${secrets.missing}`);
    } else if (transport === 'stdio' && spec.command) {
      servers.push({
        name,
        transport,
        command: spec.command,
        args: spec.args ?? [],
        ...withValues('env'),
      });
    } else if (transport && transport !== 'stdio' && spec.url) {
      servers.push({
        name,
        transport,
        url: spec.url,
        ...withValues('headers'),
      });
    } else {
      warnings.push(
        `MCP server ${name} has no usable endpoint; it is left out`,
      );
    }
  }
  return servers;
}

/**
 * The RunOptions of `POST /api/v1/runs` for a launch. Everything comes from the stack's
 * effective profile and the attempt, never from the prompt's author: approvals always go
 * through hooks (`prompt`, never `yolo`), and the gateway gets what is left of the attempt's
 * time budget as its own `timeout` (milliseconds). Granted values travel only in the request
 * body: MCP servers' in their `env` or `headers`, the skills' keys as the harness's `env`.
 */
export function agentMuxRunOptions(
  launch: AgentLaunch,
  agent: string,
  runId: string,
  timeoutMs?: number,
): { options: Record<string, unknown>; warnings: string[] } {
  const { profile } = launch;
  const warnings: string[] = [];
  const session: Record<string, string> = {};
  if (launch.sessionId && launch.attemptKind === 'fork') {
    session.forkSessionId = launch.sessionId;
  } else if (
    launch.sessionId &&
    (launch.attemptKind === 'resume' || launch.attemptKind === 'continue')
  ) {
    session.sessionId = launch.sessionId;
  }
  const servers = mcpServers(launch, warnings);
  const environment = launch.secrets?.environment ?? {};
  if (profile.skills.length) {
    warnings.push(
      `Skills (${profile.skills
        .map(s => s.name)
        .join(
          ', ',
        )}) are not passed to Agent Mux: its adapters load skills from the agent's own configuration`,
    );
  }
  if (profile.subagents.length) {
    warnings.push(
      `Subagents (${profile.subagents
        .map(s => s.name)
        .join(
          ', ',
        )}) cannot be defined through Agent Mux; the agent uses its own`,
    );
  }
  return {
    options: {
      runId,
      agent,
      prompt: launch.prompt,
      cwd: launch.workingDirectory,
      approvalMode: 'prompt',
      ...(timeoutMs ? { timeout: timeoutMs } : {}),
      ...(profile.model ? { model: profile.model } : {}),
      ...(profile.systemPrompt ? { systemPrompt: profile.systemPrompt } : {}),
      ...session,
      ...(servers.length ? { mcpServers: servers } : {}),
      ...(Object.keys(environment).length ? { env: environment } : {}),
    },
    warnings,
  };
}
