import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
} from '@krate/plugin-agents-node';
import { randomUUID } from 'node:crypto';
import { abortable } from '../runtimes/scripted/abortable';

interface End {
  promise: Promise<AgentAttemptOutcome>;
  resolve: (outcome: AgentAttemptOutcome) => void;
}

/**
 * A runtime the test plays by hand, shaped like the scripted agent at its write-back approval
 * step: it binds a session, asks for approval, and stops waiting for the gate as soon as the test
 * ends the attempt (as the scripted agent's time budget does), leaving the gate open behind it.
 * After an approval it runs until the test ends it; after a denial it fails `ApprovalRejected`.
 */
export class PuppetRuntime implements AgentRuntime {
  readonly id = 'puppet';
  readonly displayName = 'Puppet';
  readonly capabilities = {
    subagents: false,
    mcp: false,
    resume: true,
    approvals: 'enforced' as const,
  };
  readonly #ends = new Map<string, End>();

  /** Ends the attempt with `outcome`, unless it has ended already. */
  end(attempt: string, outcome: AgentAttemptOutcome) {
    this.#endOf(attempt).resolve(outcome);
  }

  async run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    const end = this.#endOf(launch.attempt);
    const ended = new AbortController();
    void end.promise.then(() => ended.abort());
    const signal = AbortSignal.any([host.signal, ended.signal]);
    await host.bindSession(randomUUID());
    try {
      const decision = await abortable(
        host.authorize({
          actionClass: 'write-back',
          target: 'pull request on acme/payments-api',
        }),
        signal,
      );
      if (decision.decision !== 'allow') {
        return {
          phase: 'Failed',
          reason: 'ApprovalRejected',
          message: decision.reason,
        };
      }
      return await abortable(end.promise, host.signal);
    } catch {
      return host.signal.aborted
        ? { phase: 'Cancelled', reason: 'Cancelled' }
        : end.promise;
    }
  }

  #endOf(attempt: string): End {
    let end = this.#ends.get(attempt);
    if (!end) {
      let resolve!: End['resolve'];
      const promise = new Promise<AgentAttemptOutcome>(r => (resolve = r));
      end = { promise, resolve };
      this.#ends.set(attempt, end);
    }
    return end;
  }
}
