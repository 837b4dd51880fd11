import { createHash } from 'node:crypto';
import path from 'node:path';
import { DoubleTool } from './createDoubleServer';

export interface StdioDoubleOptions {
  /** The process starts only when MCP_DOUBLE_TOKEN holds this token. */
  token?: string;
  tools?: DoubleTool[];
  pageSize?: number;
  /** Exit (code 3) when this `tools/list` page is asked for. */
  exitOnToolsListPage?: number;
  /** Start, but never answer anything. */
  hang?: boolean;
  /** On refusing a token, print it to stderr, as careless servers do. */
  echoToken?: boolean;
  /** Write the process id to this file on start. */
  pidFile?: string;
}

/** The environment variable the stdio double reads its token from. */
export const STDIO_DOUBLE_TOKEN_ENV = 'MCP_DOUBLE_TOKEN';

/**
 * The `command` and `args` of an AgentMcpServer spec that starts the stdio MCP server double
 * with the current Node.js, its TypeScript loaded through Backstage's node transform.
 */
export function stdioDoubleCommand(options: StdioDoubleOptions = {}): {
  command: string;
  args: string[];
} {
  const args = [
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    path.join(__dirname, 'stdioServerDouble.ts'),
    '--tools',
    JSON.stringify(options.tools ?? []),
  ];
  if (options.token !== undefined) {
    args.push(
      '--token-sha256',
      createHash('sha256').update(options.token).digest('hex'),
    );
  }
  if (options.pageSize !== undefined) {
    args.push('--page-size', String(options.pageSize));
  }
  if (options.exitOnToolsListPage !== undefined) {
    args.push('--exit-on-tools-list-page', String(options.exitOnToolsListPage));
  }
  if (options.hang) args.push('--hang');
  if (options.echoToken) args.push('--echo-token');
  if (options.pidFile) args.push('--pid-file', options.pidFile);
  return { command: process.execPath, args };
}
