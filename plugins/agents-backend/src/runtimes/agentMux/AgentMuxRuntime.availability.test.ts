import { muxRuntime } from '../../__testUtils__/agentMux/agentMuxTestKit';
import { AgentMuxRuntime } from './AgentMuxRuntime';
import { AgentMuxTestGateway } from '../../__testUtils__/agentMux';

describe('AgentMuxRuntime availability, as the stack controller shows it', () => {
  let gateway: AgentMuxTestGateway;

  beforeEach(async () => {
    gateway = await AgentMuxTestGateway.start();
  });

  afterEach(async () => {
    await gateway.close();
  });

  it('answers availability for reachable, wrong token, missing agent and unreachable gateways', async () => {
    await expect(muxRuntime(gateway).checkAvailability()).resolves.toEqual({
      available: true,
      detail: expect.stringContaining('Claude Code (subprocess adapter'),
    });
    await expect(
      muxRuntime(gateway, { agent: 'codex' }).checkAvailability(),
    ).resolves.toEqual({
      available: false,
      reason: expect.stringMatching(
        /^agent 'codex' is not listed by the Agent Mux gateway at http:\/\/127\.0\.0\.1:\d+ \(it lists: claude-agent-sdk, claude\)$/,
      ),
      hint: expect.stringContaining('agents.runtimes.agentMux.agent'),
    });
    const wrongToken = await muxRuntime(gateway, {
      token: 'not-the-token',
    }).checkAvailability();
    expect(wrongToken).toEqual({
      available: false,
      reason: expect.stringContaining('refused the configured token'),
      hint: expect.stringContaining('tokens create'),
    });
    expect(JSON.stringify(wrongToken)).not.toContain('not-the-token');

    const url = gateway.url;
    await gateway.close();
    gateway = await AgentMuxTestGateway.start();
    await expect(
      muxRuntime(gateway, { url }).checkAvailability(),
    ).resolves.toEqual({
      available: false,
      reason: expect.stringContaining('does not answer'),
      hint: expect.stringContaining('agents.runtimes.agentMux.url'),
    });
  });

  it('suggests the listed agent nearest to one the gateway does not list', async () => {
    await expect(
      muxRuntime(gateway, { agent: 'claude-code' }).checkAvailability(),
    ).resolves.toEqual({
      available: false,
      reason: expect.stringContaining(
        "agent 'claude-code' is not listed by the Agent Mux gateway at",
      ),
      hint: "Set agents.runtimes.agentMux.agent to 'claude'",
    });
    const { reason } = (await muxRuntime(gateway, {
      agent: 'claude-code',
    }).checkAvailability()) as { reason: string };
    expect(reason).toContain(
      "; did you mean 'claude'? (it lists: claude-agent-sdk, claude)",
    );
  });

  it('defaults to the agent a real gateway lists for Claude Code', async () => {
    await expect(
      new AgentMuxRuntime({
        url: gateway.url,
        token: gateway.token,
      }).checkAvailability(),
    ).resolves.toEqual({
      available: true,
      detail: expect.stringContaining('Claude Code (subprocess adapter'),
    });
  });
});
