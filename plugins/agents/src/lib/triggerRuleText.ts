import { AgentTriggerRule } from '@krate/plugin-agents-common';

type Matcher = NonNullable<AgentTriggerRule['spec']['matchers']>[number];
type Counts = NonNullable<AgentTriggerRule['status']>['counts'];

/** A matcher as one readable line: `label.name equals agent:ready`, `ref glob refs/tags/*`. */
export function matcherText(matcher: Matcher): string {
  if (matcher.operator === 'exists') return `${matcher.field} exists`;
  return `${matcher.field} ${matcher.operator} ${(matcher.values ?? []).join(
    ', ',
  )}`;
}

/** The repositories a rule listens to, or what an empty list means. */
export function repositoriesText(rule: AgentTriggerRule): string {
  const repositories = rule.spec.source.repositories ?? [];
  return repositories.length
    ? repositories.join(', ')
    : 'every repository of the org';
}

/**
 * `2 dispatched · 1 coalesced · 0 rejected · 3 not matched`, then the schedule slots skipped and
 * the runs held for approval when there are any, or that nothing was delivered.
 */
export function countsText(counts: Counts): string {
  const {
    dispatched = 0,
    coalesced = 0,
    rejected = 0,
    notMatched = 0,
    skipped = 0,
    awaitingApproval = 0,
  } = counts ?? {};
  const extra = [
    ...(skipped ? [`${skipped} slots skipped`] : []),
    ...(awaitingApproval ? [`${awaitingApproval} held for approval`] : []),
  ];
  if (dispatched + coalesced + rejected + notMatched + extra.length === 0) {
    return 'no deliveries yet';
  }
  return [
    `${dispatched} dispatched · ${coalesced} coalesced · ${rejected} rejected · ${notMatched} not matched`,
    ...extra,
  ].join(' · ');
}
