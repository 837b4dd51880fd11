import {
  AgentAttemptHost,
  AgentAttemptOutcome,
  AgentLaunch,
  AgentRuntime,
  AgentRuntimeCapabilities,
  LaunchProfile,
} from '@krate/plugin-agents-node';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { AgentContext } from './AgentContext';
import { ScriptedAgent } from './ScriptedAgent';
import { StepFailure } from './StepFailure';
import { StepJournal } from './StepJournal';
import { WorkingTreeBaseline } from './WorkingTreeBaseline';

/** Whether any script the attempt may play produces a patch (and so needs a baseline). */
function producesPatch(profile: LaunchProfile) {
  const lists: unknown[][] = [
    profile.script?.steps ?? [],
    profile.script?.continueSteps ?? [],
    ...profile.subagents.map(s => s.spec.script?.steps ?? []),
  ];
  return lists.some(
    list =>
      Array.isArray(list) &&
      list.some(
        step =>
          (step as { producePatch?: unknown } | null)?.producePatch !==
          undefined,
      ),
  );
}

/** Characters per token of the scripted agent's token estimate. */
const CHARS_PER_TOKEN = 4;

/**
 * The built-in scripted agent: plays the stack's `spec.script` step by step inside the
 * attempt's working directory, for the demo and for tests. It does real work (runs commands,
 * reads and writes files, dispatches subagents, produces patches) under the same policy and
 * approval gates as a model-driven agent, but decides nothing itself.
 *
 * It has no model, so it reports a cost of 0 USD with tokens estimated as characters / 4
 * (prompt in, text and thinking out), which keeps cost roll-ups exercised.
 *
 * @public
 */
export class ScriptedRuntime implements AgentRuntime {
  readonly id = 'scripted';
  readonly displayName = 'Scripted agent';
  readonly capabilities: AgentRuntimeCapabilities = {
    subagents: true,
    mcp: false,
    resume: true,
    approvals: 'enforced',
    // Not that its work outlives the backend: its steps are checkpointed, and a takeover plays
    // on from the last finished one (StepJournal).
    reattach: true,
    startsOverWhenUnbound: true,
  };

  async run(
    launch: AgentLaunch,
    host: AgentAttemptHost,
  ): Promise<AgentAttemptOutcome> {
    if (host.signal.aborted) {
      return { phase: 'Cancelled', reason: 'Cancelled' };
    }
    const script = launch.profile.script;
    if (!script || !Array.isArray(script.steps)) {
      return this.#fail(
        host,
        new StepFailure(
          'MissingScript',
          `Stack ${launch.profile.stack} has no spec.script for the scripted runtime`,
        ),
      );
    }

    const budget = new AbortController();
    const timeoutSeconds = launch.profile.runnerPolicy?.timeoutSeconds;
    const timer =
      typeof timeoutSeconds === 'number' && timeoutSeconds > 0
        ? setTimeout(
            () =>
              budget.abort(
                new StepFailure(
                  'TimedOut',
                  `The attempt ran out of its ${timeoutSeconds} s budget`,
                ),
              ),
            // Node fires at once for delays past a 32-bit millisecond count.
            Math.min(timeoutSeconds * 1000, 2 ** 31 - 1),
          )
        : undefined;
    const signal = AbortSignal.any([host.signal, budget.signal]);
    let ctx: AgentContext | undefined;
    let sessionId: string | undefined;

    try {
      const root = await fs.realpath(launch.workingDirectory).catch(error => {
        throw new StepFailure(
          'WorkingDirectoryUnavailable',
          `The working directory is not usable: ${error.code ?? error.message}`,
        );
      });
      const reattach = launch.reattach;
      ctx = {
        launch,
        host,
        signal,
        root,
        baseline: producesPatch(launch.profile)
          ? await (reattach
              ? WorkingTreeBaseline.recover(root, signal)
              : WorkingTreeBaseline.capture(root, signal))
          : undefined,
        outputChars: 0,
      };

      sessionId =
        reattach && launch.sessionId
          ? launch.sessionId
          : await this.#startSession(launch, host);
      const journal = new StepJournal(host, reattach);
      const continuing = launch.attemptKind === 'continue';
      const steps = continuing ? script.continueSteps ?? [] : script.steps;
      if (journal.endedBefore(steps.length)) {
        return { phase: 'Succeeded', reason: 'Completed' };
      }
      const agent = new ScriptedAgent(ctx, { depth: 0 });
      if (
        continuing &&
        journal.resumeFrom === 0 &&
        journal.interrupted === undefined
      ) {
        agent.say(launch.prompt);
      }
      await agent.runSteps(
        steps,
        continuing ? 'spec.script.continueSteps' : 'spec.script.steps',
        journal,
      );
      this.#end(launch, host, ctx, sessionId);
      await journal.ended(steps.length);
      return { phase: 'Succeeded', reason: 'Completed' };
    } catch (error) {
      if (host.signal.aborted) {
        return { phase: 'Cancelled', reason: 'Cancelled' };
      }
      const failure = budget.signal.aborted
        ? (budget.signal.reason as StepFailure)
        : error;
      const outcome = this.#fail(host, failure);
      if (ctx && sessionId) {
        this.#end(launch, host, ctx, sessionId);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A new session for initial, retry and fork attempts; resume and continue reuse theirs. */
  async #startSession(launch: AgentLaunch, host: AgentAttemptHost) {
    const reuse =
      launch.attemptKind === 'resume' || launch.attemptKind === 'continue';
    if (reuse && !launch.sessionId) {
      host.emit({
        type: 'warning',
        code: 'NoSessionToResume',
        message: `A ${launch.attemptKind} attempt came without a session; starting a new one`,
      });
    }
    const resumed = reuse && Boolean(launch.sessionId);
    const sessionId = resumed ? launch.sessionId! : randomUUID();
    await host.bindSession(sessionId);
    host.emit({ type: 'session_started', sessionId, resumed });
    return sessionId;
  }

  #end(
    launch: AgentLaunch,
    host: AgentAttemptHost,
    ctx: AgentContext,
    sessionId: string,
  ) {
    host.emit({
      type: 'cost',
      usd: 0,
      inputTokens: Math.ceil(launch.prompt.length / CHARS_PER_TOKEN),
      outputTokens: Math.ceil(ctx.outputChars / CHARS_PER_TOKEN),
    });
    host.emit({ type: 'session_ended', sessionId });
  }

  #fail(host: AgentAttemptHost, error: unknown): AgentAttemptOutcome {
    const failure =
      error instanceof StepFailure
        ? error
        : new StepFailure(
            'RuntimeError',
            (error as Error)?.message ?? String(error),
          );
    if (!failure.reported) {
      host.emit({
        type: 'error',
        code: failure.reason,
        message: failure.message,
      });
    }
    return {
      phase: 'Failed',
      reason: failure.reason,
      message: failure.message,
    };
  }
}
