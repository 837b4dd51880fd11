import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { AgentMcpServer } from '@krate/plugin-agents-common';

const STDERR_TAIL = 2_000;

/** A client transport to an MCP server, and what its process wrote to stderr (stdio only). */
export interface ProbeTransport {
  transport: Transport;
  stderrTail(): string;
  /** Ends the server's process if it still runs (stdio only); call after closing the client. */
  terminate(): void;
}

/** The SDK's stdio transport, remembering the process it started. */
class ProbeStdioTransport extends StdioClientTransport {
  processId?: number;

  override async start() {
    await super.start();
    this.processId = this.pid ?? undefined;
  }
}

/** The spec lacks what its transport needs (a url, a command). */
export class TransportSpecError extends Error {
  readonly name = 'TransportSpecError';
}

/**
 * The SDK transport for the server's spec. The granted values go into the connection only:
 * request headers for http and sse, the environment of the process for stdio, which otherwise
 * gets no more than the SDK's safe default environment (PATH, HOME, USER…).
 */
export function mcpTransport(
  spec: AgentMcpServer['spec'],
  values: Record<string, string>,
): ProbeTransport {
  if (spec.transport === 'stdio') {
    if (!spec.command) {
      throw new TransportSpecError('spec.command is required for stdio');
    }
    const transport = new ProbeStdioTransport({
      command: spec.command,
      args: spec.args ?? [],
      env: { ...getDefaultEnvironment(), ...values },
      stderr: 'pipe',
    });
    let stderr = '';
    let exited = false;
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    transport.stderr?.on('end', () => {
      exited = true;
    });
    return {
      transport,
      stderrTail: () => stderr.trim(),
      // The client's close waits seconds for a graceful exit, and when initialize failed it
      // already closed in the background: a probe must not leave a server running behind it.
      terminate: () => {
        if (transport.processId === undefined || exited) return;
        try {
          process.kill(transport.processId, 'SIGTERM');
        } catch {
          // Already gone.
        }
      },
    };
  }
  if (!spec.url) {
    throw new TransportSpecError(`spec.url is required for ${spec.transport}`);
  }
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new TransportSpecError(`spec.url is not a URL`);
  }
  const requestInit = { headers: values };
  const transport =
    spec.transport === 'sse'
      ? new SSEClientTransport(url, { requestInit })
      : new StreamableHTTPClientTransport(url, {
          requestInit,
          // A probe asks once; the agent's own client reconnects.
          reconnectionOptions: {
            maxReconnectionDelay: 1_000,
            initialReconnectionDelay: 1_000,
            reconnectionDelayGrowFactor: 1,
            maxRetries: 0,
          },
        });
  return { transport, stderrTail: () => '', terminate: () => {} };
}
