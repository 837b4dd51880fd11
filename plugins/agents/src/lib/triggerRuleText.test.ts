import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { countsText, matcherText, repositoriesText } from './triggerRuleText';

type Matcher = Parameters<typeof matcherText>[0];

describe('matcherText', () => {
  it.each<[Matcher, string]>([
    [
      { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
      'label.name equals agent:ready',
    ],
    [
      { field: 'issue.state', operator: 'in', values: ['open', 'reopened'] },
      'issue.state in open, reopened',
    ],
    [{ field: 'issue.assignee', operator: 'exists' }, 'issue.assignee exists'],
  ])('reads %j as "%s"', (matcher, text) => {
    expect(matcherText(matcher)).toBe(text);
  });
});

describe('repositoriesText', () => {
  const rule = (repositories?: string[]) =>
    ({
      spec: { source: { events: ['push'], repositories } },
    } as unknown as AgentTriggerRule);

  it('lists the repositories, or says the rule covers the whole org', () => {
    expect(repositoriesText(rule(['acme/a', 'acme/b']))).toBe('acme/a, acme/b');
    expect(repositoriesText(rule())).toBe('every repository of the org');
    expect(repositoriesText(rule([]))).toBe('every repository of the org');
  });
});

describe('countsText', () => {
  it('adds skipped schedule slots and runs held for approval when there are any', () => {
    expect(countsText({ skipped: 12, awaitingApproval: 1 })).toBe(
      '0 dispatched · 0 coalesced · 0 rejected · 0 not matched · 12 slots skipped · 1 held for approval',
    );
  });

  it('counts every outcome, or says nothing was delivered', () => {
    expect(countsText({ dispatched: 2, notMatched: 3 })).toBe(
      '2 dispatched · 0 coalesced · 0 rejected · 3 not matched',
    );
    expect(countsText(undefined)).toBe('no deliveries yet');
    expect(countsText({ dispatched: 0 })).toBe('no deliveries yet');
  });
});
