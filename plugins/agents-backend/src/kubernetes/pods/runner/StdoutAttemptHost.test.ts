import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { RunnerDecisionReader } from './RunnerDecisionReader';
import { testProfile } from '../../../__testUtils__/testDispatchEngine';
import { parseRunnerLine } from '../runnerProtocol';
import { NO_DECISIONS_IN_POD, StdoutAttemptHost } from './StdoutAttemptHost';

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

  it("decides by the stack's policy and, without a credential to read decisions with, denies what would wait for a human", async () => {
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
      reason: `AgentToolProfile/gated requires approval for shell actions; ${NO_DECISIONS_IN_POD}`,
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

  describe('with a decision reader', () => {
    let server: http.Server;
    let url: string;
    const asked: { url: string; authorization?: string }[] = [];
    let answers: { status: number; body?: object }[] = [];

    beforeEach(async () => {
      asked.length = 0;
      server = http.createServer((req, res) => {
        asked.push({ url: req.url!, authorization: req.headers.authorization });
        const answer = answers.length > 1 ? answers.shift()! : answers[0];
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body ?? {}));
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      url = `http://127.0.0.1:${
        (server.address() as AddressInfo).port
      }/api/agents/runner-pods/acme/a-1/decision`;
    });
    afterEach(() => new Promise(resolve => server.close(resolve)));

    function gatedHost() {
      const lines: string[] = [];
      const host = new StdoutAttemptHost({
        profile: testProfile('gated', {
          toolProfile: {
            name: 'gated',
            spec: { approvalRequired: ['shell'] },
          },
        }),
        write: text => lines.push(text),
        signal: new AbortController().signal,
        logger: mockServices.logger.mock(),
        decisions: new RunnerDecisionReader({
          url,
          credential: 'the-credential',
          logger: mockServices.logger.mock(),
          pollMs: 20,
        }),
      });
      return { host, read: () => lines.map(line => parseRunnerLine(line)) };
    }

    it('prints the request, waits for the decision with its credential, and reports it as the host does', async () => {
      answers = [
        { status: 200, body: { state: 'unopened' } },
        { status: 503 },
        { status: 200, body: { state: 'pending', approval: 'run-ap-1' } },
        {
          status: 200,
          body: {
            state: 'decided',
            approval: 'run-ap-1',
            decision: {
              decision: 'allow',
              reason: 'fine',
              approval: 'run-ap-1',
            },
            outcome: 'approved',
            decidedBy: 'user:default/bob',
          },
        },
      ];
      const { host, read } = gatedHost();
      const decision = await host.authorize({
        actionClass: 'shell',
        target: 'npm test',
        interactionId: 'tool-1',
      });
      expect(decision).toEqual({
        decision: 'allow',
        reason: 'fine',
        approval: 'run-ap-1',
      });
      expect(read()).toEqual([
        {
          krate: 'v1',
          approval: {
            actionClass: 'shell',
            target: 'npm test',
            interactionId: 'tool-1',
          },
        },
        {
          krate: 'v1',
          seq: 1,
          event: {
            type: 'approval_decided',
            approval: 'run-ap-1',
            decision: 'approved',
            decidedBy: 'user:default/bob',
            reason: 'fine',
          },
        },
      ]);
      expect(asked).toHaveLength(4);
      expect(
        asked.every(
          a =>
            a.authorization === 'Bearer the-credential' &&
            a.url.endsWith('/decision?interactionId=tool-1'),
        ),
      ).toBe(true);
    });

    it('gives a repeated interaction id a distinct one, and denies (fail closed) when the backend refuses', async () => {
      answers = [{ status: 401 }];
      const { host, read } = gatedHost();
      const request = {
        actionClass: 'shell' as const,
        target: 'make',
        interactionId: 'tool-1',
      };
      const first = await host.authorize(request);
      const second = await host.authorize(request);
      expect(first.decision).toBe('deny');
      expect(first.reason).toContain('refused');
      expect(second.decision).toBe('deny');
      expect(read().map(line => (line as any).approval?.interactionId)).toEqual(
        ['tool-1', 'tool-1#2'],
      );
    });
  });
});
