import { isError } from '@backstage/errors';
import {
  AgentDispatchRun,
  AgentTriggerRule,
  DEDUPE_KEY_HASH_LABEL,
  TRIGGER_RULE_LABEL,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { DispatchService } from '../dispatch/DispatchService';
import { ResourceStore, StoredResource } from '../resources/ResourceStore';
import { executionRecord } from './executionRecord';
import { RunGate } from './gated/RunGate';
import { recordOnRule } from './recordOnRule';
import {
  dedupeKeyHash,
  dispatchRefusal,
  TriggerEvaluation,
  TriggerEvaluator,
} from './TriggerEvaluator';

/** The actor of everything a delivery or schedule slot writes, in the audit trail. */
export const TRIGGER_CONTROLLER_ACTOR = 'agents:trigger-controller';

export interface RuleFiringOptions {
  store: ResourceStore;
  evaluator: TriggerEvaluator;
  dispatch: Pick<DispatchService, 'draftRun' | 'dispatch' | 'act'>;
  /** Holds the runs of rules with `requireApproval` for a human. */
  gate: Pick<RunGate, 'hold'>;
}

/** What one firing of a rule is: its execution's name, and where the event came from. */
export interface FiringTarget {
  /** The AgentTriggerExecution's name: the firing's idempotency key. */
  name: string;
  delivery?: string;
  scheduledTime?: string;
  /**
   * The run's name, fixed for a firing that may be retried (a schedule slot's): a retry finds
   * the run an interrupted firing created, and an execution recorded already ends it.
   */
  runName?: string;
  /** Said on the execution, e.g. that the firing catches up a missed slot. */
  message?: string;
}

/**
 * Fires a rule for one event, the part deliveries and schedules share: evaluates it, cancels the
 * runs a replacing event replaces, drafts the run with the rule and dedupe labels, dispatches it,
 * records the AgentTriggerExecution and counts it on the rule.
 */
export class RuleFiring {
  constructor(private readonly options: RuleFiringOptions) {}

  /** Answers the execution's name; undefined when a retried firing was recorded already. */
  async fire(
    rule: AgentTriggerRule,
    event: TriggerDryRunRequest,
    target: FiringTarget,
  ): Promise<string | undefined> {
    const { evaluator, store } = this.options;
    const { namespace } = rule.metadata;
    if (
      target.runName &&
      (await store.get('AgentTriggerExecution', namespace, target.name))
    ) {
      return undefined;
    }
    const evaluation = await evaluator.evaluate(rule, event);
    const { outcome, run, approval } = await this.#dispatch(
      rule,
      evaluation,
      target,
    );
    const record = executionRecord(rule, event, outcome, {
      name: target.name,
      delivery: target.delivery,
      scheduledTime: target.scheduledTime,
      message: target.message,
      run,
      approval,
    });
    const execution = await this.#record(record, target);
    if (!execution) return undefined;
    await recordOnRule(store, rule, {
      execution: execution.metadata.name,
      outcome: outcome.outcome,
      run: run ?? outcome.joins,
      reason: outcome.reason,
      policyPreview: outcome.policyPreview,
      actor: TRIGGER_CONTROLLER_ACTOR,
    });
    return execution.metadata.name;
  }

  async #dispatch(
    rule: AgentTriggerRule,
    evaluation: TriggerEvaluation,
    target: FiringTarget,
  ): Promise<{ outcome: TriggerEvaluation; run?: string; approval?: string }> {
    const gated = evaluation.outcome === 'awaiting-approval';
    if ((evaluation.outcome !== 'dispatched' && !gated) || !evaluation.run) {
      return { outcome: evaluation };
    }
    const { dispatch, gate } = this.options;
    const actor = TRIGGER_CONTROLLER_ACTOR;
    if (target.runName && (await this.#run(rule, target.runName))) {
      // An interrupted firing created it: finish recording it, dispatch nothing more.
      return { outcome: evaluation, run: target.runName };
    }
    try {
      for (const replaced of evaluation.replaces ?? []) {
        await this.#cancel(rule.metadata.namespace, replaced);
      }
      const draft = dispatch.draftRun(evaluation.run, actor);
      if (target.runName) draft.metadata.name = target.runName;
      draft.metadata.labels = {
        ...draft.metadata.labels,
        [TRIGGER_RULE_LABEL]: rule.metadata.name,
        ...(evaluation.dedupeKey !== undefined
          ? { [DEDUPE_KEY_HASH_LABEL]: dedupeKeyHash(evaluation.dedupeKey) }
          : {}),
      };
      if (gated) {
        const held = await gate.hold(rule, draft, target.name);
        return { outcome: evaluation, ...held };
      }
      const run = (await dispatch.dispatch(draft, actor)).metadata.name;
      return { outcome: evaluation, run };
    } catch (error) {
      if (target.runName && (await this.#run(rule, target.runName))) {
        // Another instance finishing the same firing created it first.
        return { outcome: evaluation, run: target.runName };
      }
      const reason = dispatchRefusal(error);
      if (!reason) throw error;
      return { outcome: { ...evaluation, outcome: 'rejected', reason } };
    }
  }

  #run(rule: AgentTriggerRule, name: string) {
    return this.options.store.get(
      'AgentDispatchRun',
      rule.metadata.namespace,
      name,
    );
  }

  /** Creates the execution; undefined when a retried firing's was created meanwhile. */
  async #record(
    record: StoredResource,
    target: FiringTarget,
  ): Promise<StoredResource | undefined> {
    try {
      return await this.options.store.create(record, {
        actor: TRIGGER_CONTROLLER_ACTOR,
      });
    } catch (error) {
      if (target.runName && isError(error) && error.name === 'ConflictError') {
        return undefined;
      }
      throw error;
    }
  }

  async #cancel(namespace: string, name: string) {
    const run = await this.options.store.get(
      'AgentDispatchRun',
      namespace,
      name,
    );
    if (!run) return;
    try {
      await this.options.dispatch.act(run as AgentDispatchRun, 'cancel', {
        actor: TRIGGER_CONTROLLER_ACTOR,
      });
    } catch (error) {
      // It finished meanwhile; there is nothing left to replace.
      if (!isError(error) || error.name !== 'ConflictError') throw error;
    }
  }
}
