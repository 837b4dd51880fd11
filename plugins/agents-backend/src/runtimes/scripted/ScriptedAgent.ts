import { RunEventPayload } from '@krate/plugin-agents-common';
import {
  AgentActionDecision,
  AgentActionRequest,
} from '@krate/plugin-agents-node';
import { randomUUID } from 'node:crypto';
import { setImmediate, setTimeout } from 'node:timers/promises';
import { abortable } from './abortable';
import { AgentContext } from './AgentContext';
import { FileTools } from './FileTools';
import { ParsedStep, parseStep, ScriptAction } from './parseStep';
import { runShellCommand } from './runShellCommand';
import { StepJournal } from './StepJournal';
import { StepFailure } from './StepFailure';

/** How deep subagents may nest: the main agent's subagents are at depth 1. */
export const MAX_SUBAGENT_DEPTH = 3;
/** Output of one shell step kept in the event log. */
export const MAX_SHELL_OUTPUT_BYTES = 1024 * 1024;
/** An `emit` step lets cancel in after this many events. */
const EMIT_YIELD_EVERY = 2000;

type TaggedEvent = Extract<
  RunEventPayload,
  { type: 'text' | 'thinking' | 'tool_call' | 'tool_result' }
>;
type OnDenied = ParsedStep['onDenied'];

/**
 * Plays a list of script steps as one agent: the main agent, or a subagent whose tagged events
 * carry its `subagentId`. Each step runs to the end before the next starts; a failing step
 * throws StepFailure.
 */
export class ScriptedAgent {
  readonly #ctx: AgentContext;
  readonly #subagentId?: string;
  readonly #depth: number;
  readonly #files: FileTools;
  /** The agent's last text, which a subagent hands back as its summary. */
  lastText?: string;
  /** The running top-level step's id for its approvals, so a resumed step finds them again. */
  #interactionId?: string;
  /** Checkpoints the running top-level step's start, once its action is authorized. */
  #beforeEffect?: () => Promise<void>;

  constructor(
    ctx: AgentContext,
    options: { subagentId?: string; depth: number },
  ) {
    this.#ctx = ctx;
    this.#subagentId = options.subagentId;
    this.#depth = options.depth;
    this.#files = new FileTools(ctx.root);
  }

  /**
   * Runs `steps`, all checked first; `where` names the list in messages. With a journal (the
   * main agent's top-level steps) each step is checkpointed, and a resumed attempt skips the
   * steps that finished before.
   */
  async runSteps(
    steps: unknown[],
    where: string,
    journal?: StepJournal,
  ): Promise<void> {
    const parsed = steps.map((step, index) =>
      parseStep(step, `${where}[${index}]`),
    );
    for (const [index, step] of parsed.entries()) {
      this.#ctx.signal.throwIfAborted();
      if (!journal) {
        await this.#runStep(step);
        continue;
      }
      if (index < journal.resumeFrom) continue;
      journal.checkNotInterrupted(index, `${where}[${index}]`);
      const kind = step.action.kind;
      this.#interactionId = `scripted-step-${index}`;
      this.#beforeEffect = undefined;
      if (StepJournal.authorizes(kind)) {
        await journal.bind();
      }
      if (StepJournal.startsAfterAuthorization(kind)) {
        this.#beforeEffect = () => journal.started(index);
      } else if (!StepJournal.isReplayable(kind)) {
        await journal.started(index);
      }
      try {
        await this.#runStep(step);
      } finally {
        this.#interactionId = undefined;
        this.#beforeEffect = undefined;
      }
      if (!StepJournal.isReplayable(kind)) {
        await journal.finished(index);
      }
    }
  }

  /** Emits assistant text. */
  say(text: string) {
    this.#ctx.outputChars += text.length;
    this.lastText = text;
    this.#emit({ type: 'text', text });
  }

  async #runStep({ action, onDenied }: ParsedStep): Promise<void> {
    switch (action.kind) {
      case 'say':
        return this.say(action.text);
      case 'think':
        this.#ctx.outputChars += action.text.length;
        return this.#emit({ type: 'thinking', text: action.text });
      case 'emit':
        return this.#emitMany(action.count, action.text);
      case 'cost':
        return this.#ctx.host.emit({
          type: 'cost',
          usd: action.usd,
          inputTokens: action.inputTokens,
          outputTokens: action.outputTokens,
        });
      case 'sleepMs':
        await setTimeout(action.ms, undefined, { signal: this.#ctx.signal });
        return undefined;
      case 'fail':
        throw new StepFailure('ScriptFailed', action.message);
      case 'shell':
        return this.#shell(action.command, onDenied);
      case 'readFile':
      case 'writeFile':
      case 'patchFile':
        return this.#fileStep(action, onDenied);
      case 'approval':
        return this.#approval(action, onDenied);
      case 'subagent':
        return this.#subagent(action.name, action.prompt);
      case 'producePatch':
        return this.#producePatch(action.name);
      case 'propose':
        this.#ctx.host.emit({
          type: 'artifact',
          artifactKind: action.proposal,
          name: action.title,
          content: action.body,
          byteCount: Buffer.byteLength(action.body),
          ...(action.on && action.number
            ? { target: { kind: action.on, ref: action.number } }
            : {}),
        });
        return undefined;
      default:
        throw new StepFailure(
          'InvalidScript',
          `Unknown action ${(action as ScriptAction).kind}`,
        );
    }
  }

  #emit(event: TaggedEvent) {
    this.#ctx.host.emit(
      this.#subagentId ? { ...event, subagentId: this.#subagentId } : event,
    );
  }

  async #emitMany(count: number, text: string | undefined) {
    for (let i = 0; i < count; i++) {
      const line = text ?? `Event ${i + 1} of ${count}`;
      this.#ctx.outputChars += line.length;
      this.lastText = line;
      this.#emit({ type: 'text', text: line });
      if ((i + 1) % EMIT_YIELD_EVERY === 0) {
        await setImmediate();
        this.#ctx.signal.throwIfAborted();
      }
    }
  }

  /**
   * Asks the host about an action. Resolves true when allowed; on a denial, `refuse` reports it
   * and the step is skipped (`continue`) or the attempt fails: `ApprovalRejected` when a human
   * (or an expired approval) said no, `PolicyDenied` when policy did.
   */
  async #allowed(
    request: AgentActionRequest,
    onDenied: OnDenied,
    refuse: (message: string, code: string, recoverable: boolean) => void,
  ): Promise<boolean> {
    const decision = await abortable(
      this.#decide(
        this.#interactionId
          ? { ...request, interactionId: this.#interactionId }
          : request,
      ),
      this.#ctx.signal,
    );
    if (decision.decision === 'allow') {
      return true;
    }
    const code = decision.approval ? 'ApprovalRejected' : 'PolicyDenied';
    refuse(decision.reason, code, onDenied === 'continue');
    if (onDenied === 'continue') {
      return false;
    }
    throw new StepFailure(
      code,
      `${request.toolName ?? request.actionClass} on ${
        request.target
      } was denied: ${decision.reason}`,
      // A tool step's refusal was a tool_result; an approval step's was the error event.
      { reported: !request.toolName },
    );
  }

  /**
   * A resumed step takes the approval it asked for before the takeover instead of asking again:
   * waiting on it if it is still pending, its decision at once if it was decided meanwhile.
   */
  #decide(request: AgentActionRequest): Promise<AgentActionDecision> {
    const { host, launch } = this.#ctx;
    const id = request.interactionId;
    const reattach = launch.reattach;
    const asked =
      id && reattach
        ? [...(reattach.decidedApprovals ?? []), ...reattach.pendingApprovals]
        : [];
    const earlier = asked.find(entry => entry.action.interactionId === id);
    return earlier
      ? host.awaitApproval(earlier.approval)
      : host.authorize(request);
  }

  /**
   * Runs a tool step: authorize, tool_call, the work, tool_result. A failure after the call
   * started is a tool_result with isError; cancel ends the step without another event.
   */
  async #tool(
    request: AgentActionRequest & { toolName: string },
    onDenied: OnDenied,
    input: unknown,
    work: (toolCallId: string) => Promise<unknown>,
  ): Promise<void> {
    const toolCallId = randomUUID();
    const { toolName } = request;
    const allowed = await this.#allowed(request, onDenied, reason =>
      this.#emit({
        type: 'tool_result',
        toolCallId,
        toolName,
        output: reason,
        isError: true,
      }),
    );
    if (!allowed) {
      return;
    }
    await this.#beforeEffect?.();
    const started = performance.now();
    this.#emit({ type: 'tool_call', toolCallId, toolName, input });
    let output: unknown;
    try {
      output = await work(toolCallId);
    } catch (error) {
      if (!this.#ctx.host.signal.aborted) {
        this.#emit({
          type: 'tool_result',
          toolCallId,
          toolName,
          output: (error as Error).message,
          isError: true,
          durationMs: Math.round(performance.now() - started),
        });
      }
      throw error;
    }
    this.#emit({
      type: 'tool_result',
      toolCallId,
      toolName,
      output,
      durationMs: Math.round(performance.now() - started),
    });
  }

  #shell(command: string, onDenied: OnDenied) {
    const { host, root, signal } = this.#ctx;
    return this.#tool(
      {
        actionClass: 'shell',
        toolName: 'Bash',
        target: command,
        detail: { command },
      },
      onDenied,
      { command },
      async toolCallId => {
        host.emit({ type: 'shell_start', command, cwd: root, toolCallId });
        const started = performance.now();
        let result;
        try {
          result = await runShellCommand({
            command,
            cwd: root,
            environment: this.#ctx.launch.secrets?.environment,
            signal,
            maxOutputBytes: MAX_SHELL_OUTPUT_BYTES,
            onOutput: (stream, text) =>
              host.emit({ type: 'shell_output', stream, text, toolCallId }),
          });
        } catch (error) {
          if (!host.signal.aborted) {
            host.emit({
              type: 'shell_exit',
              exitCode: null,
              durationMs: Math.round(performance.now() - started),
              toolCallId,
            });
          }
          throw error;
        }
        if (result.droppedBytes > 0) {
          host.emit({
            type: 'warning',
            code: 'OutputTruncated',
            message: `Shell output was cut at ${MAX_SHELL_OUTPUT_BYTES} bytes; ${result.droppedBytes} more bytes were not kept`,
          });
        }
        host.emit({
          type: 'shell_exit',
          exitCode: result.exitCode,
          durationMs: result.durationMs,
          toolCallId,
        });
        if (result.exitCode !== 0) {
          throw new StepFailure(
            'ToolFailed',
            result.exitCode === null
              ? `Command was killed by ${result.exitSignal}`
              : `Command exited with code ${result.exitCode}`,
          );
        }
        return { exitCode: 0, truncated: result.droppedBytes > 0 };
      },
    );
  }

  async #fileStep(
    action: Extract<
      ScriptAction,
      { kind: 'readFile' | 'writeFile' | 'patchFile' }
    >,
    onDenied: OnDenied,
  ) {
    const { host } = this.#ctx;
    const file = await this.#files.resolve(action.path);
    const target = file.relative;
    switch (action.kind) {
      case 'readFile':
        return this.#tool(
          { actionClass: 'tool', toolName: 'Read', target },
          onDenied,
          { path: target },
          async () => {
            const read = await this.#files.read(file);
            host.emit({ type: 'file_read', path: target });
            return read;
          },
        );
      case 'writeFile':
        return this.#tool(
          { actionClass: 'tool', toolName: 'Write', target },
          onDenied,
          { path: target, content: action.content },
          async () => {
            const written = await this.#files.write(file, action.content);
            host.emit({ type: 'file_change', path: target, ...written });
            return { path: target, byteCount: written.byteCount };
          },
        );
      default:
        return this.#tool(
          { actionClass: 'tool', toolName: 'Edit', target },
          onDenied,
          { path: target, find: action.find, replace: action.replace },
          async () => {
            const patched = await this.#files.patch(
              file,
              action.find,
              action.replace,
            );
            host.emit({
              type: 'file_change',
              path: target,
              change: 'patch',
              ...patched,
            });
            return { path: target, byteCount: patched.byteCount };
          },
        );
    }
  }

  async #approval(
    action: Extract<ScriptAction, { kind: 'approval' }>,
    onDenied: OnDenied,
  ) {
    await this.#allowed(
      { actionClass: action.actionClass, target: action.target },
      onDenied,
      (reason, code, recoverable) =>
        this.#ctx.host.emit({
          type: 'error',
          code,
          message: `${action.actionClass} on ${action.target} was denied: ${reason}`,
          recoverable,
        }),
    );
  }

  async #subagent(name: string, prompt: string | undefined) {
    const { host, launch } = this.#ctx;
    if (this.#depth >= MAX_SUBAGENT_DEPTH) {
      throw new StepFailure(
        'SubagentDepthExceeded',
        `Subagent ${name} would nest deeper than ${MAX_SUBAGENT_DEPTH} levels`,
      );
    }
    const definition = launch.profile.subagents.find(s => s.name === name);
    if (!definition) {
      throw new StepFailure(
        'InvalidScript',
        `The stack lists no subagent named ${name}`,
      );
    }
    const steps = definition.spec.script?.steps;
    if (!Array.isArray(steps)) {
      throw new StepFailure(
        'MissingScript',
        `AgentSubagent/${name} has no spec.script.steps`,
      );
    }
    const subagentId = randomUUID();
    host.emit({
      type: 'subagent_spawn',
      subagentId,
      agentName: name,
      ...(prompt === undefined ? {} : { prompt }),
    });
    const subagent = new ScriptedAgent(this.#ctx, {
      subagentId,
      depth: this.#depth + 1,
    });
    try {
      await subagent.runSteps(steps, `AgentSubagent/${name} spec.script.steps`);
    } catch (error) {
      if (host.signal.aborted) {
        throw error;
      }
      const message = (error as Error).message;
      host.emit({ type: 'subagent_error', subagentId, error: message });
      if (error instanceof StepFailure) {
        throw new StepFailure(error.reason, `Subagent ${name}: ${message}`, {
          reported: error.reported,
        });
      }
      throw error;
    }
    host.emit({
      type: 'subagent_result',
      subagentId,
      ...(subagent.lastText === undefined
        ? {}
        : { summary: subagent.lastText }),
    });
  }

  async #producePatch(name: string) {
    const { baseline, host, signal } = this.#ctx;
    if (!baseline) {
      throw new StepFailure(
        'RuntimeError',
        'No baseline was captured for producePatch',
      );
    }
    const content = await baseline.diff(signal);
    host.emit({
      type: 'artifact',
      artifactKind: 'patch',
      name,
      content,
      byteCount: Buffer.byteLength(content),
    });
  }
}
