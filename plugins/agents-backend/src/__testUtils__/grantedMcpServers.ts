import { LaunchSecrets } from '@krate/plugin-agents-node';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  McpServerDouble,
  startMcpServerDouble,
  stdioDoubleCommand,
  STDIO_DOUBLE_TOKEN_ENV,
} from './mcp';

export const STDIO_TOKEN = 'stdio-canary-5f2a9c1e7b';
export const HTTP_TOKEN = 'http-canary-93d0b7e2a4';
export const SKILL_TOKEN = 'skill-canary-1c8e4f6a0d';
export const CANARIES = [STDIO_TOKEN, HTTP_TOKEN, SKILL_TOKEN];

export const sha256 = (value: string) =>
  createHash('sha256').update(value).digest('hex');

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry => path.join(entry.parentPath, entry.name));
}

/**
 * What a CLI runtime test of granted secrets launches with: a stdio MCP server (`vault`) and an
 * http one (`tickets`) that each answer only with their token, and a skill key for the tools'
 * environment, all three granted through the launch's secrets.
 */
export async function startGrantedMcpServers(): Promise<{
  httpServer: McpServerDouble;
  mcpServers: { name: string; spec: Record<string, any> }[];
  secrets: LaunchSecrets;
}> {
  const httpServer = await startMcpServerDouble({
    token: HTTP_TOKEN,
    tools: [{ name: 'ping' }],
  });
  const stdio = stdioDoubleCommand({
    token: STDIO_TOKEN,
    tools: [{ name: 'whoami' }],
  });
  return {
    httpServer,
    mcpServers: [
      {
        name: 'vault',
        spec: {
          transport: 'stdio',
          ...stdio,
          secretRefs: [
            { name: 'vault-creds', key: 'token', env: STDIO_DOUBLE_TOKEN_ENV },
          ],
        },
      },
      {
        name: 'tickets',
        spec: {
          transport: 'http',
          url: httpServer.url,
          secretRefs: [
            { name: 'tickets', key: 'api-token', env: 'Authorization' },
          ],
        },
      },
    ],
    secrets: {
      mcpServers: {
        vault: { [STDIO_DOUBLE_TOKEN_ENV]: STDIO_TOKEN },
        tickets: { Authorization: `Bearer ${HTTP_TOKEN}` },
      },
      environment: { DEMO_API_TOKEN: SKILL_TOKEN },
      values: CANARIES,
    },
  };
}
