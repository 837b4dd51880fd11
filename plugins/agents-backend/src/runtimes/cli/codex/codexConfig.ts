import { AgentLaunch } from '@krate/plugin-agents-node';
import { mcpServerSecrets } from '../../mcpServerSecrets';
import { SessionMode } from '../runCliAttempt';

/** Environment variable that holds the model API key for Codex's provider. */
export const CODEX_API_KEY_ENV = 'KRATE_CODEX_API_KEY';

/** What the Codex provider section needs. */
export interface CodexProvider {
  /** Responses API base URL including `/v1`. */
  baseUrl: string;
  requestMaxRetries?: number;
  streamMaxRetries?: number;
}

/** A TOML basic string: JSON's escapes are TOML's, except that TOML wants DEL escaped too. */
function str(value: string): string {
  return JSON.stringify(value).replace(/\x7f/g, '\\u007f');
}

/** A TOML inline table of strings. */
function table(entries: Record<string, string>): string {
  const pairs = Object.entries(entries).map(
    ([k, v]) => `${str(k)} = ${str(v)}`,
  );
  return `{ ${pairs.join(', ')} }`;
}

/**
 * The stack's MCP servers as `[mcp_servers.*]` tables: a stdio server gets its granted values in
 * `env`, an http server as `http_headers`. A server whose secrets were not granted is left out
 * with a warning naming the key; Codex has no sse transport.
 */
function mcpServers(launch: AgentLaunch, warnings: string[]): string[] {
  const lines: string[] = [];
  for (const server of launch.profile.mcpServers) {
    const { name, spec } = server;
    const heading = `[mcp_servers.${str(name)}]`;
    const secrets = mcpServerSecrets(launch, server);
    const values = secrets.values ?? {};
    const withValues = (field: string) =>
      Object.keys(values).length ? [`${field} = ${table(values)}`] : [];
    // `codex exec` runs with approval policy "never", under which Codex refuses every MCP tool
    // that does not declare itself read-only; Krate's own hook has decided the call by then.
    const approved = 'default_tools_approval_mode = "approve"';
    if (secrets.missing !== undefined) {
      warnings.push(`MCP server ${name} is left out: ${secrets.missing}`);
    } else if (spec.transport === 'stdio' && spec.command) {
      const args = (spec.args ?? []).map((a: string) => str(a)).join(', ');
      lines.push(
        heading,
        `command = ${str(spec.command)}`,
        `args = [${args}]`,
        approved,
        ...withValues('env'),
      );
    } else if (spec.transport === 'http' && spec.url) {
      lines.push(
        heading,
        `url = ${str(spec.url)}`,
        approved,
        ...withValues('http_headers'),
      );
    } else {
      warnings.push(
        `MCP server ${name} uses ${spec.transport}, which Codex does not support; it is left out`,
      );
    }
  }
  return lines;
}

/**
 * `$CODEX_HOME/config.toml` for an attempt: a provider of our own (the key comes from an
 * environment variable, never from the file), no analytics, the stack's system prompt as
 * developer instructions, network access only when the tool profile allows open egress, and the
 * stack's MCP servers with their granted values — so the file is written private (0600).
 */
export function codexConfigToml(
  launch: AgentLaunch,
  provider: CodexProvider,
  model: string | undefined,
  warnings: string[],
): string {
  const { profile } = launch;
  const lines = ['model_provider = "krate"'];
  const chosen = profile.model ?? model;
  if (chosen) {
    lines.push(`model = ${str(chosen)}`);
  }
  if (profile.systemPrompt) {
    lines.push(`developer_instructions = ${str(profile.systemPrompt)}`);
  }
  lines.push(
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[shell_environment_policy]',
    `exclude = [${str(CODEX_API_KEY_ENV)}, "KRATE_AGENTS_HOOK_*"]`,
    '',
    '[sandbox_workspace_write]',
    `network_access = ${profile.toolProfile?.spec.network?.mode === 'open'}`,
    // /tmp as a writable root makes the sandbox create read-only mount targets (.git, .codex,
    // .agents) in the shared /tmp; the attempt's own TMPDIR stays writable.
    'exclude_slash_tmp = true',
    '',
    '[model_providers.krate]',
    'name = "Krate Agents model provider"',
    `base_url = ${str(provider.baseUrl)}`,
    `env_key = ${str(CODEX_API_KEY_ENV)}`,
    'wire_api = "responses"',
  );
  if (provider.requestMaxRetries !== undefined) {
    lines.push(`request_max_retries = ${provider.requestMaxRetries}`);
  }
  if (provider.streamMaxRetries !== undefined) {
    lines.push(`stream_max_retries = ${provider.streamMaxRetries}`);
  }
  lines.push('', ...mcpServers(launch, warnings));
  return `${lines.join('\n')}\n`;
}

/**
 * `codex exec` arguments. The workspace-write sandbox stays on; `--dangerously-bypass-hook-trust`
 * is what lets the attempt's own PreToolUse hook (in the fresh CODEX_HOME) run unreviewed —
 * project-local config and hooks stay off because the project is not trusted there. Plugins
 * are disabled (their sync would reach out to the network). `-` reads the prompt from stdin.
 */
export function codexArgs(session: SessionMode): string[] {
  const args = [
    'exec',
    '--json',
    '--skip-git-repo-check',
    '--sandbox',
    'workspace-write',
    '--disable',
    'plugins',
    '--dangerously-bypass-hook-trust',
  ];
  if (session.kind !== 'new') {
    args.push(session.kind, session.sessionId);
  }
  args.push('-');
  return args;
}
