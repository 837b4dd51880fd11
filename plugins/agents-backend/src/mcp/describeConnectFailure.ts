import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AgentMcpServer } from '@krate/plugin-agents-common';

/** The probe ran out of time. */
export class ProbeTimeoutError extends Error {
  readonly name = 'ProbeTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatSeconds(timeoutMs)}`);
  }
}

/** Why a connection failed, as a condition reason and a message (not yet redacted). */
export interface ConnectFailure {
  reason: string;
  message: string;
}

const MAX_DETAIL = 300;

/**
 * Names why connecting to and initializing an MCP server failed, from what the SDK's transports
 * throw: HTTP errors carry the status as `code`, fetch and spawn errors a system error code.
 */
export function describeConnectFailure(
  error: unknown,
  spec: AgentMcpServer['spec'],
  stderrTail: string,
): ConnectFailure {
  const where =
    spec.transport === 'stdio' ? `command ${spec.command}` : spec.url ?? '';
  if (error instanceof ProbeTimeoutError) {
    return {
      reason: 'Timeout',
      message: `${where} did not complete initialize: ${error.message}`,
    };
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return {
      reason: 'Timeout',
      message: `${where} did not complete initialize: ${detail(error)}`,
    };
  }
  const err = error as { code?: unknown; cause?: { code?: unknown } };
  const systemCode = String(err?.cause?.code ?? err?.code ?? '');
  const status =
    error instanceof StreamableHTTPError || error instanceof SseError
      ? error.code
      : undefined;
  if (systemCode === 'ECONNREFUSED') {
    return {
      reason: 'ConnectionRefused',
      message: `connection refused at ${where}`,
    };
  }
  if (systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN') {
    return { reason: 'HostNotFound', message: `host of ${where} not found` };
  }
  if (systemCode === 'ENOENT' && spec.transport === 'stdio') {
    return { reason: 'CommandNotFound', message: `${where} not found` };
  }
  if (status === 401 || isNamed(error, 'UnauthorizedError')) {
    return {
      reason: 'Unauthorized',
      message: `${where} answered 401 Unauthorized: its credentials are missing or rejected (check spec.secretRefs and their grants)`,
    };
  }
  if (status === 403) {
    return {
      reason: 'Forbidden',
      message: `${where} answered 403 Forbidden: ${detail(error)}`,
    };
  }
  if (status !== undefined && status >= 300) {
    return {
      reason: 'HttpError',
      message: `${where} answered HTTP ${status}: ${detail(error)}`,
    };
  }
  if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
    return {
      reason: 'InitializeFailed',
      message: `${where} refused initialize: ${detail(error)}`,
    };
  }
  if (spec.transport === 'stdio') {
    return {
      reason: 'ProcessExited',
      message: `${where} ended the session before initialize completed (${detail(
        error,
      )})${stderrTail ? `; its stderr: ${truncate(stderrTail)}` : ''}`,
    };
  }
  return { reason: 'ConnectFailed', message: `${where}: ${detail(error)}` };
}

/** An error's message, with its cause's when that says more (fetch's "fetch failed"). */
export function detail(error: unknown): string {
  const err = error as { message?: unknown; cause?: { message?: unknown } };
  const message = String(err?.message ?? error);
  const cause = err?.cause?.message;
  return truncate(cause ? `${message}: ${String(cause)}` : message);
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

function isNamed(error: unknown, name: string): boolean {
  return (error as { name?: unknown })?.name === name;
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
