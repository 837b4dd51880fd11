import { AgentTriggerRule, TriggerOutcome } from '@krate/plugin-agents-common';

export interface ConcurrencyInput {
  dedupeKey?: string;
  /** Unfinished runs of the rule, newest first. */
  activeRuns: string[];
  /** Those of them with the same dedupe key. */
  sameKey: string[];
}

export interface ConcurrencyDecision {
  outcome: Exclude<TriggerOutcome, 'not-matched'>;
  reason?: string;
  /** The active run a coalesced delivery joins. */
  joins?: string;
  /** The active runs with the same dedupe key a replacing delivery cancels. */
  replaces?: string[];
}

/**
 * The rule's concurrency policy for a matched delivery. A rule with a dedupe key and no policy
 * coalesces, as the dedupe key's description promises.
 */
export function decideConcurrency(
  rule: AgentTriggerRule,
  { dedupeKey, activeRuns, sameKey }: ConcurrencyInput,
): ConcurrencyDecision {
  const { concurrency, dedupeKeyTemplate } = rule.spec;
  const policy =
    concurrency?.policy ?? (dedupeKeyTemplate ? 'coalesce' : 'allow');
  const max = concurrency?.maxConcurrentRuns;
  let replacing: string[] = [];
  if (dedupeKey !== undefined && sameKey.length > 0) {
    const [newest] = sameKey;
    if (policy === 'forbid') {
      return {
        outcome: 'rejected',
        reason: `run ${newest} with dedupe key ${dedupeKey} is still active (concurrency forbid)`,
      };
    }
    if (policy === 'coalesce') {
      return {
        outcome: 'coalesced',
        joins: newest,
        reason: `joins active run ${newest} with dedupe key ${dedupeKey}`,
      };
    }
    if (policy === 'replace') replacing = sameKey;
  }
  const remaining = activeRuns.filter(run => !replacing.includes(run));
  if (max !== undefined && remaining.length >= max) {
    return {
      outcome: 'rejected',
      reason: `maxConcurrentRuns ${max} reached: ${remaining.join(', ')} ${
        remaining.length === 1 ? 'is' : 'are'
      } active`,
    };
  }
  return replacing.length
    ? {
        outcome: 'dispatched',
        replaces: replacing,
        reason: `would cancel ${replacing.join(
          ', ',
        )} with the same dedupe key (concurrency replace)`,
      }
    : { outcome: 'dispatched' };
}
