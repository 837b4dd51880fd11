import { FakeTurn } from '../modelApis/FakeModelServer';

/**
 * What the fake model has Codex do: echo the granted variable in a shell command (which waits
 * for a human's approval), then call the vault MCP server's `whoami`.
 */
export const codexTurns: FakeTurn[] = [
  {
    toolCalls: [
      {
        name: 'exec_command',
        input: { cmd: 'echo "granted: $api_token"' },
      },
    ],
  },
  { toolCalls: [{ namespace: 'mcp__vault', name: 'whoami', input: {} }] },
  { text: 'Logged in.' },
];
