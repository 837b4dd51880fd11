import { mockServices } from '@backstage/backend-test-utils';
import { testProfile } from '../../../__testUtils__/testDispatchEngine';
import { parseRunnerLine } from '../runnerProtocol';
import { NO_APPROVALS_IN_PODS, StdoutAttemptHost } from './StdoutAttemptHost';

function hostFor(profile = testProfile('gated')) {
  const lines: string[] = [];
  const host = new StdoutAttemptHost({
    profile,
    write: text => lines.push(text),
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
  });
  return { host, read: () => lines.map(line => parseRunnerLine(line)) };
}

describe('StdoutAttemptHost', () => {
  it('prints events numbered from 1, the session and the outcome as protocol lines', async () => {
    const { host, read } = hostFor();
    host.emit({ type: 'text', text: 'a' });
    await host.bindSession('s-1');
    host.emit({ type: 'text', text: 'b' });
    host.outcome({ phase: 'Succeeded', reason: 'Completed' });
    expect(read()).toEqual([
      { krate: 'v1', seq: 1, event: { type: 'text', text: 'a' } },
      { krate: 'v1', session: 's-1' },
      { krate: 'v1', seq: 2, event: { type: 'text', text: 'b' } },
      { krate: 'v1', outcome: { phase: 'Succeeded', reason: 'Completed' } },
    ]);
  });

  it("decides by the stack's policy and denies what would wait for a human", async () => {
    const { host, read } = hostFor(
      testProfile('gated', {
        toolProfile: {
          name: 'gated',
          spec: {
            approvalRequired: ['shell'],
            shell: { denyCommands: ['rm *'] },
          },
        },
      }),
    );
    const allowed = await host.authorize({
      actionClass: 'network',
      target: 'example.com',
    });
    const gated = await host.authorize({
      actionClass: 'shell',
      target: 'npm test',
    });
    const denied = await host.authorize({
      actionClass: 'shell',
      target: 'rm -rf /',
    });
    expect(allowed.decision).toBe('allow');
    expect(gated).toEqual({
      decision: 'deny',
      reason: `AgentToolProfile/gated requires approval for shell actions; ${NO_APPROVALS_IN_PODS}`,
    });
    expect(denied.decision).toBe('deny');
    expect(read().map(line => (line as any).event)).toEqual([
      expect.objectContaining({ type: 'policy_decision', decision: 'allow' }),
      expect.objectContaining({
        type: 'policy_decision',
        decision: 'deny',
        reason: gated.reason,
      }),
      expect.objectContaining({
        type: 'policy_decision',
        decision: 'deny',
        target: 'rm -rf /',
      }),
    ]);
  });
});
