import { isError } from '@backstage/errors';
import {
  AgentDispatchRun,
  AgentTriggerRule,
  DEDUPE_KEY_HASH_LABEL,
  DispatchRunRequest,
  TRIGGER_RULE_LABEL,
  TriggerDryRunRequest,
  TriggerDryRunResult,
} from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';
import {
  DispatchService,
  ProfileResolver,
  ResolvedStack,
} from '../dispatch/DispatchService';
import { invalidStackMessage } from '../dispatch/invalidStackMessage';
import { isTerminal } from '../dispatch/names';
import { ResourceStore } from '../resources/ResourceStore';
import { decideConcurrency } from './decideConcurrency';
import { evaluateRule } from './evaluateRule';
import { policyPreviewOf } from './policyPreview';
import { renderTemplate, TemplateValues } from './renderTemplate';
import { runSource } from './runSource';
import { workItemOfEvent } from '../workItems/workItemOfEvent';

export interface TriggerEvaluatorOptions {
  store: ResourceStore;
  dispatch: Pick<DispatchService, 'draftRun' | 'previewContext'>;
  profiles: ProfileResolver;
}

/** Who asks for the context preview of a dry-run. */
export interface ContextViewer {
  actor: string;
  /** Whether the caller may dispatch the run, and so see the context it would get. */
  mayDispatch(draft: AgentDispatchRun): Promise<boolean>;
}

/** What a rule makes of an event: a dry-run's answer without its execution record. */
export type TriggerEvaluation = Omit<TriggerDryRunResult, 'execution'>;

/** The run's prompt when the rule has no template: the event itself. */
const DEFAULT_PROMPT =
  'A {{source}} event of {{repository}} matched trigger rule {{rule}}. The event:\n\n{{event}}';

/** The value of {@link DEDUPE_KEY_HASH_LABEL} for a rendered dedupe key. */
export function dedupeKeyHash(key: string) {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** Problems of the run's input that make a dispatch refuse it, as the API says them. */
export function dispatchRefusal(error: unknown): string | undefined {
  return isError(error) &&
    ['InputError', 'ConflictError', 'NotFoundError'].includes(error.name)
    ? error.message
    : undefined;
}

/** Why a matched delivery could not dispatch, whatever the concurrency. */
function runProblem(
  rule: AgentTriggerRule,
  resolved: ResolvedStack | string,
  prompt: string,
): string | undefined {
  if (typeof resolved === 'string') return resolved;
  if (resolved.readiness === 'Invalid') {
    return invalidStackMessage(
      rule.metadata.namespace,
      rule.spec.stack,
      resolved,
    );
  }
  if (prompt.trim() === '') {
    return 'spec.promptTemplate: renders an empty prompt for this event';
  }
  return undefined;
}

/**
 * Evaluates an event against a trigger rule — every condition, the dedupe key, concurrency
 * against the rule's unfinished runs, the run it would create and, for a viewer who may
 * dispatch, that run's context bundle. Dry-runs and webhook deliveries both go through here, so
 * a dry-run answers what a delivery of the same event does.
 */
export class TriggerEvaluator {
  constructor(private readonly options: TriggerEvaluatorOptions) {}

  async evaluate(
    rule: AgentTriggerRule,
    sample: TriggerDryRunRequest,
    viewer?: ContextViewer,
  ): Promise<TriggerEvaluation> {
    const { namespace, name } = rule.metadata;
    const lifecycle = rule.spec.lifecycle ?? 'draft';
    const values: TemplateValues = {
      event: sample.event,
      repository: sample.repository,
      rule: name,
      source: sample.source,
      namespace,
    };
    const dedupe = rule.spec.dedupeKeyTemplate
      ? renderTemplate(rule.spec.dedupeKeyTemplate, values)
      : undefined;
    const prompt = renderTemplate(
      rule.spec.promptTemplate ?? DEFAULT_PROMPT,
      values,
    );
    const { matched, conditions } = evaluateRule(rule, sample);
    const resolved = await this.#resolveStack(namespace, rule.spec.stack);
    const base = {
      lifecycle,
      lifecycleDispatches: lifecycle === 'active',
      matched,
      conditions,
      ...(dedupe ? { dedupeKey: dedupe.text } : {}),
      activeRuns: [] as string[],
      policyPreview: policyPreviewOf(
        rule,
        typeof resolved === 'string' ? undefined : resolved.profile,
      ),
      missingFields: [
        ...new Set([...(dedupe?.missing ?? []), ...prompt.missing]),
      ],
    };
    if (!matched) {
      const failed = conditions.find(condition => !condition.matched)!;
      return {
        ...base,
        outcome: 'not-matched',
        reason: `${failed.path} (${failed.description}): ${failed.reason}`,
      };
    }

    const run: TriggerDryRunResult['run'] = {
      namespace,
      stack: rule.spec.stack,
      prompt: prompt.text,
      ...(sample.repository ? { repository: sample.repository } : {}),
      ...(rule.spec.contextLabels?.length
        ? { contextLabels: rule.spec.contextLabels }
        : {}),
      // The rule's memory goes on top of the stack's, as a dispatch request's would.
      ...(rule.spec.memory ? { memory: rule.spec.memory } : {}),
      source: runSource(rule, sample),
    };
    const workItem = await workItemOfEvent(
      this.options.store,
      namespace,
      sample,
    );
    if (workItem) run.workItem = workItem;
    const active = await this.#unfinishedRuns(rule);
    const sameKey = dedupe
      ? active
          .filter(
            r =>
              r.metadata.labels?.[DEDUPE_KEY_HASH_LABEL] ===
              dedupeKeyHash(dedupe.text),
          )
          .map(r => r.metadata.name)
      : [];
    const activeRuns = active.map(r => r.metadata.name);
    const withRun = { ...base, activeRuns, run };

    const problem = runProblem(rule, resolved, prompt.text);
    const context = viewer ? await this.#previewContext(run, viewer) : {};
    if (problem) {
      return { ...withRun, ...context, outcome: 'rejected', reason: problem };
    }
    const decision = decideConcurrency(rule, {
      dedupeKey: dedupe?.text,
      activeRuns,
      sameKey,
    });
    if (decision.outcome === 'dispatched' && rule.spec.requireApproval) {
      const waits =
        'the run would wait, before its first attempt, for an AgentApproval (spec.requireApproval)';
      return {
        ...withRun,
        ...context,
        ...decision,
        outcome: 'awaiting-approval',
        reason: decision.reason ? `${decision.reason}; ${waits}` : waits,
      };
    }
    return { ...withRun, ...context, ...decision };
  }

  /** The stack's resolved profile, or why it cannot be resolved. */
  async #resolveStack(
    namespace: string,
    stack: string,
  ): Promise<ResolvedStack | string> {
    try {
      return await this.options.profiles.resolve(namespace, stack);
    } catch (error) {
      const message = dispatchRefusal(error);
      if (message) return `stack: ${message}`;
      throw error;
    }
  }

  async #unfinishedRuns(rule: AgentTriggerRule): Promise<AgentDispatchRun[]> {
    const runs: AgentDispatchRun[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.options.store.list('AgentDispatchRun', {
        namespace: rule.metadata.namespace,
        labelSelector: [
          {
            key: TRIGGER_RULE_LABEL,
            operator: 'in',
            values: [rule.metadata.name],
          },
        ],
        limit: 500,
        continueToken,
      });
      for (const item of page.items as AgentDispatchRun[]) {
        if (!isTerminal(item.status?.phase)) runs.push(item);
      }
      continueToken = page.continueToken;
    } while (continueToken);
    return runs.sort((a, b) =>
      (b.metadata.creationTimestamp ?? '').localeCompare(
        a.metadata.creationTimestamp ?? '',
      ),
    );
  }

  async #previewContext(
    request: DispatchRunRequest & {
      source: AgentDispatchRun['spec']['source'];
    },
    viewer: ContextViewer,
  ): Promise<Pick<TriggerDryRunResult, 'context' | 'contextError'>> {
    const draft = this.options.dispatch.draftRun(request, viewer.actor);
    if (!(await viewer.mayDispatch(draft))) {
      return {
        contextError: `agents.run.create is not allowed in ${request.namespace}, so the context the run would get is not shown`,
      };
    }
    try {
      return { context: await this.options.dispatch.previewContext(draft) };
    } catch (error) {
      const message = dispatchRefusal(error);
      if (message) return { contextError: message };
      throw error;
    }
  }
}
