import { RecordingHost } from '../../__testUtils__/recordingHost';
import {
  muxLaunch,
  muxRuntime,
} from '../../__testUtils__/agentMux/agentMuxTestKit';
import { AgentMuxTestGateway } from '../../__testUtils__/agentMux';

const STDIO_TOKEN = 'stdio-canary-0a1b';
const HTTP_TOKEN = 'Bearer http-canary-2c3d';
const SKILL_TOKEN = 'skill-canary-4e5f';

describe('AgentMuxRuntime with granted secrets', () => {
  let gateway: AgentMuxTestGateway;

  beforeEach(async () => {
    gateway = await AgentMuxTestGateway.start();
  });

  afterEach(async () => {
    await gateway.close();
  });

  it('hands the values to the harness in the run options only, and to no event', async () => {
    let received: Record<string, any> | undefined;
    gateway.useHarness(async run => {
      received = run.options;
      run.startSession();
      run.text('Started with what I was given.');
    });
    const host = new RecordingHost();

    const outcome = await muxRuntime(gateway).run(
      {
        ...muxLaunch(
          {},
          {
            mcpServers: [
              {
                name: 'vault',
                spec: {
                  transport: 'stdio',
                  command: 'vault-mcp',
                  secretRefs: [
                    { name: 'vault', key: 'token', env: 'VAULT_TOKEN' },
                  ],
                },
              },
              {
                name: 'tickets',
                spec: {
                  transport: 'http',
                  url: 'https://tickets.example/mcp',
                  secretRefs: [
                    { name: 'tickets', key: 'api-token', env: 'Authorization' },
                  ],
                },
              },
            ],
          },
        ),
        secrets: {
          mcpServers: {
            vault: { VAULT_TOKEN: STDIO_TOKEN },
            tickets: { Authorization: HTTP_TOKEN },
          },
          environment: { DEMO_API_TOKEN: SKILL_TOKEN },
          values: [STDIO_TOKEN, HTTP_TOKEN, SKILL_TOKEN],
        },
      },
      host,
    );

    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(received?.env).toEqual({ DEMO_API_TOKEN: SKILL_TOKEN });
    expect(received?.mcpServers).toEqual([
      expect.objectContaining({
        name: 'vault',
        env: { VAULT_TOKEN: STDIO_TOKEN },
      }),
      expect.objectContaining({
        name: 'tickets',
        headers: { Authorization: HTTP_TOKEN },
      }),
    ]);
    const everything = JSON.stringify([
      host.events,
      (['error', 'warn', 'info', 'debug'] as const).map(
        level => host.logger[level].mock.calls,
      ),
    ]);
    for (const token of [STDIO_TOKEN, HTTP_TOKEN, SKILL_TOKEN]) {
      expect(everything).not.toContain(token);
    }
  });
});
