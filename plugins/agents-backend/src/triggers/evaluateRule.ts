import {
  AgentTriggerRule,
  TriggerConditionResult,
  TriggerDryRunRequest,
} from '@krate/plugin-agents-common';
import { minimatch } from 'minimatch';
import { valueAt } from './renderTemplate';

type Matcher = NonNullable<AgentTriggerRule['spec']['matchers']>[number];

export interface RuleEvaluation {
  matched: boolean;
  conditions: TriggerConditionResult[];
}

function quoted(values: string[]) {
  return values.map(value => `'${value}'`).join(', ');
}

/** Scalars compare as text; an array matches when any of its scalars does. */
function candidates(actual: unknown): string[] {
  const items = Array.isArray(actual) ? actual : [actual];
  return items
    .filter(item => ['string', 'number', 'boolean'].includes(typeof item))
    .map(item => String(item));
}

function testOne(
  operator: Matcher['operator'],
  values: string[],
  text: string,
): boolean {
  switch (operator) {
    case 'equals':
      return text === values[0];
    case 'in':
      return values.includes(text);
    case 'glob':
      return values.some(pattern => minimatch(text, pattern, { dot: true }));
    case 'regex':
      return values.some(pattern => new RegExp(pattern).test(text));
    default:
      return false;
  }
}

function badPattern(matcher: Matcher): string | undefined {
  const values = matcher.values ?? [];
  if (matcher.operator === 'exists') return undefined;
  if (values.length === 0) return `${matcher.operator} needs values`;
  if (matcher.operator === 'equals' && values.length > 1) {
    return 'equals takes one value; use in for several';
  }
  if (matcher.operator === 'regex') {
    for (const [index, pattern] of values.entries()) {
      try {
        RegExp(pattern);
      } catch {
        return `values[${index}] is not a valid regular expression`;
      }
    }
  }
  return undefined;
}

function describeMatcher(matcher: Matcher) {
  return matcher.operator === 'exists'
    ? `${matcher.field} exists`
    : `${matcher.field} ${matcher.operator} ${quoted(matcher.values ?? [])}`;
}

export function evaluateMatcher(
  matcher: Matcher,
  event: Record<string, unknown>,
  path: string,
): TriggerConditionResult {
  const actual = valueAt(event, matcher.field);
  const result = { path, description: describeMatcher(matcher) };
  const present = actual !== undefined && actual !== null;
  const shown = present ? { actual } : {};
  const problem = badPattern(matcher);
  if (problem) {
    return { ...result, ...shown, matched: false, reason: problem };
  }
  if (matcher.operator === 'exists') {
    return present
      ? { ...result, ...shown, matched: true }
      : { ...result, matched: false, reason: `${matcher.field} is missing` };
  }
  if (!present) {
    return { ...result, matched: false, reason: `${matcher.field} is missing` };
  }
  const texts = candidates(actual);
  if (texts.length === 0) {
    return {
      ...result,
      ...shown,
      matched: false,
      reason: `${matcher.field} is not text, a number or a boolean`,
    };
  }
  const matched = texts.some(text =>
    testOne(matcher.operator, matcher.values ?? [], text),
  );
  return matched
    ? { ...result, ...shown, matched }
    : {
        ...result,
        ...shown,
        matched,
        reason: `${matcher.field} is ${JSON.stringify(actual)}`,
      };
}

/**
 * Checks a sample event against a rule's source (event type, repositories) and every matcher;
 * all conditions are evaluated, so a dry-run shows each one, not just the first that failed.
 */
export function evaluateRule(
  rule: AgentTriggerRule,
  sample: TriggerDryRunRequest,
): RuleEvaluation {
  const { source } = rule.spec;
  const conditions: TriggerConditionResult[] = [];
  const eventMatched = source.events.includes(sample.source);
  conditions.push({
    path: 'spec.source.events',
    description: `event is one of ${source.events.join(', ')}`,
    matched: eventMatched,
    actual: sample.source,
    ...(eventMatched
      ? {}
      : { reason: `the rule does not listen to ${sample.source} events` }),
  });
  if (source.repositories?.length) {
    const repositoryMatched =
      sample.repository !== undefined &&
      source.repositories.includes(sample.repository);
    conditions.push({
      path: 'spec.source.repositories',
      description: `repository is one of ${source.repositories.join(', ')}`,
      matched: repositoryMatched,
      ...(sample.repository ? { actual: sample.repository } : {}),
      ...(repositoryMatched
        ? {}
        : {
            reason: sample.repository
              ? `${sample.repository} is not one of the rule's repositories`
              : 'the sample names no repository',
          }),
    });
  }
  (rule.spec.matchers ?? []).forEach((matcher, index) =>
    conditions.push(
      evaluateMatcher(matcher, sample.event, `spec.matchers[${index}]`),
    ),
  );
  return {
    matched: conditions.every(condition => condition.matched),
    conditions,
  };
}
