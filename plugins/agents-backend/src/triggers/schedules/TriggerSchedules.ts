import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import {
  AgentTriggerRule,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { createHash } from 'node:crypto';
import { ResourceStore, StoredResource } from '../../resources/ResourceStore';
import { recordOnRule } from '../recordOnRule';
import { RuleFiring, TRIGGER_CONTROLLER_ACTOR } from '../RuleFiring';
import { planSlots, SlotPlan } from './planSlots';
import {
  isScheduleProblem,
  isScheduleRule,
  nextSlot,
  readRuleSchedule,
} from './ruleSchedule';
import { skippedExecution } from './skippedExecution';

type RuleStatus = NonNullable<AgentTriggerRule['status']>;
type Claim = NonNullable<RuleStatus['scheduleFiring']>;

export interface TriggerSchedulesOptions {
  store: ResourceStore;
  firing: RuleFiring;
  logger: LoggerService;
  /** How old a slot may be and still fire on time; older ones are missed. */
  graceMs: number;
  /** How long a claimed slot may stay unfinished before a later tick finishes it. */
  claimTimeoutMs: number;
}

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/** What identifies the rule across a delete and re-create of the same name. */
function identityOf(rule: AgentTriggerRule) {
  const { uid, namespace, name, creationTimestamp } = rule.metadata;
  return uid ?? `${namespace}/${name}/${creationTimestamp}`;
}

/** The execution and run names of a slot: the slot is the firing's idempotency key. */
export function slotNames(rule: AgentTriggerRule, slot: string) {
  const key = sha256(`${identityOf(rule)}/${slot}`);
  return {
    execution: `${rule.metadata.name.slice(0, 40)}-${key.slice(0, 12)}`,
    run: `${rule.spec.stack.slice(0, 40).replace(/-+$/, '')}-${key.slice(
      0,
      8,
    )}`,
  };
}

/**
 * Fires the active schedule rules for their cron slots. Each tick plans every rule's due slots
 * (planSlots), claims them on the rule's status with its resourceVersion as precondition — so of
 * two instances ticking at once one claims and the other sees the claim — then records and
 * fires them under names derived from the slot, so a tick that finishes an interrupted claim
 * never fires a slot twice.
 */
export class TriggerSchedules {
  constructor(private readonly options: TriggerSchedulesOptions) {}

  /** One pass over every schedule rule; `now` is the clock (a test's). */
  async tick(now = new Date()): Promise<void> {
    for (const rule of await this.#scheduleRules()) {
      try {
        await this.#tickRule(rule, now);
      } catch (error) {
        const { namespace, name } = rule.metadata;
        this.options.logger.warn(
          `Schedule of AgentTriggerRule ${namespace}/${name} failed this tick`,
          isError(error) ? error : undefined,
        );
      }
    }
  }

  async #scheduleRules(): Promise<AgentTriggerRule[]> {
    const rules: AgentTriggerRule[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.options.store.list('AgentTriggerRule', {
        limit: 500,
        continueToken,
      });
      rules.push(...(page.items as AgentTriggerRule[]).filter(isScheduleRule));
      continueToken = page.continueToken;
    } while (continueToken);
    return rules;
  }

  async #tickRule(rule: AgentTriggerRule, now: Date) {
    const status = rule.status ?? {};
    const claim = status.scheduleFiring;
    if (claim) {
      const age = now.getTime() - Date.parse(claim.claimedTime);
      // A fresh claim is another instance's, still at work.
      if (age >= this.options.claimTimeoutMs) await this.#finish(rule, claim);
      return;
    }
    const schedule = readRuleSchedule(rule, now);
    if (rule.spec.lifecycle !== 'active' || isScheduleProblem(schedule)) {
      // Slots of an inactive rule are not missed: it starts afresh when it is active again.
      if (status.scheduledThrough || status.nextScheduledTime) {
        await this.#writeStatus(rule, {
          scheduledThrough: undefined,
          nextScheduledTime: undefined,
        });
      }
      return;
    }
    if (!status.scheduledThrough) {
      await this.#writeStatus(rule, {
        scheduledThrough: now.toISOString(),
        nextScheduledTime: nextSlot(schedule, now).toISOString(),
      });
      return;
    }
    const plan = planSlots({
      schedule,
      through: new Date(status.scheduledThrough),
      now,
      graceMs: this.options.graceMs,
      policy: rule.spec.source.missedSchedule ?? 'skip',
    });
    const next = nextSlot(schedule, now).toISOString();
    if (!plan.fire && !plan.skipped) {
      if (status.nextScheduledTime !== next) {
        await this.#writeStatus(rule, { nextScheduledTime: next });
      }
      return;
    }
    const claimed = claimOf(plan, now);
    const written = await this.#writeStatus(
      rule,
      {
        scheduledThrough: plan.through.toISOString(),
        nextScheduledTime: next,
        scheduleFiring: claimed,
      },
      { once: true },
    );
    // Another instance claimed these slots first.
    if (!written) return;
    await this.#finish(written, claimed);
  }

  /** Records the claimed skipped slots, fires the claimed slot, then releases the claim. */
  async #finish(rule: AgentTriggerRule, claim: Claim) {
    const { store, firing } = this.options;
    // A late catch-up's own execution says how many slots it stands for.
    if (claim.skipped && !claim.late) {
      const record = skippedExecution(
        rule,
        claim.skipped,
        identityOf(rule),
        this.#event(rule, claim.skipped.last),
      );
      if (await this.#createOnce(record)) {
        await recordOnRule(store, rule, {
          execution: record.metadata.name,
          outcome: 'skipped',
          reason: record.status?.message as string,
          policyPreview: {
            requiresApproval: rule.spec.requireApproval ?? false,
            ...rule.status?.policyPreview,
          },
          actor: TRIGGER_CONTROLLER_ACTOR,
          count: claim.skipped.count,
        });
      }
    }
    if (claim.slot) {
      const names = slotNames(rule, claim.slot);
      const missed = claim.skipped
        ? `; ${claim.skipped.atLeast ? 'at least ' : ''}${
            claim.skipped.count
          } earlier missed slot${
            claim.skipped.count === 1 ? '' : 's'
          } not fired`
        : '';
      await firing.fire(rule, this.#event(rule, claim.slot), {
        name: names.execution,
        runName: names.run,
        scheduledTime: claim.slot,
        ...(claim.late
          ? {
              message: `Caught up once for missed slot ${claim.slot} (missedSchedule catchUpOnce)${missed}`,
            }
          : {}),
      });
    }
    await this.#release(rule, claim);
  }

  #event(rule: AgentTriggerRule, slot: string): TriggerDryRunRequest {
    const [repository] = rule.spec.source.repositories ?? [];
    return {
      source: 'schedule',
      ...(repository ? { repository } : {}),
      event: {
        scheduledTime: slot,
        rule: rule.metadata.name,
        schedule: rule.spec.source.schedule,
        timeZone: rule.spec.source.timeZone ?? 'UTC',
      },
    };
  }

  async #createOnce(record: StoredResource): Promise<boolean> {
    try {
      await this.options.store.create(record, {
        actor: TRIGGER_CONTROLLER_ACTOR,
      });
      return true;
    } catch (error) {
      if (isError(error) && error.name === 'ConflictError') return false;
      throw error;
    }
  }

  /** Drops the claim (if it is still this one) and notes the slot fired. */
  async #release(rule: AgentTriggerRule, claim: Claim) {
    await this.#writeStatus(rule, current =>
      current.scheduleFiring?.claimedTime === claim.claimedTime
        ? {
            scheduleFiring: undefined,
            ...(claim.slot ? { lastScheduledTime: claim.slot } : {}),
          }
        : undefined,
    );
  }

  /**
   * Writes status fields (undefined drops one) with the read resourceVersion as precondition,
   * re-reading when someone else wrote in between — unless `once`, for a claim: then a
   * concurrent write means another instance may have claimed, and nothing is written.
   */
  async #writeStatus(
    rule: AgentTriggerRule,
    change:
      | Partial<RuleStatus>
      | ((current: RuleStatus) => Partial<RuleStatus> | undefined),
    options: { once?: boolean } = {},
  ): Promise<AgentTriggerRule | undefined> {
    const { store } = this.options;
    const { namespace, name } = rule.metadata;
    let current: AgentTriggerRule | undefined = rule;
    for (let attempt = 0; attempt < 10 && current; attempt++) {
      const fields =
        typeof change === 'function' ? change(current.status ?? {}) : change;
      if (!fields) return undefined;
      const status: Record<string, unknown> = { ...current.status, ...fields };
      for (const key of Object.keys(fields)) {
        if (status[key] === undefined) delete status[key];
      }
      try {
        return (await store.updateStatus(
          { ...current, status } as StoredResource,
          { actor: TRIGGER_CONTROLLER_ACTOR },
        )) as AgentTriggerRule;
      } catch (error) {
        if (!isError(error) || error.name !== 'ConflictError') throw error;
        if (options.once) return undefined;
      }
      current = (await store.get('AgentTriggerRule', namespace, name)) as
        | AgentTriggerRule
        | undefined;
    }
    return undefined;
  }
}

function claimOf(plan: SlotPlan, now: Date): Claim {
  return {
    claimedTime: now.toISOString(),
    ...(plan.fire
      ? {
          slot: plan.fire.slot.toISOString(),
          ...(plan.fire.late ? { late: true } : {}),
        }
      : {}),
    ...(plan.skipped
      ? {
          skipped: {
            count: plan.skipped.count,
            ...(plan.skipped.atLeast ? { atLeast: true } : {}),
            first: plan.skipped.first.toISOString(),
            last: plan.skipped.last.toISOString(),
          },
        }
      : {}),
  };
}
