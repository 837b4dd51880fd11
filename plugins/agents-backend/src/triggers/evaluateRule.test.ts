import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { evaluateMatcher, evaluateRule } from './evaluateRule';

const rule = (spec: Partial<AgentTriggerRule['spec']> = {}): AgentTriggerRule =>
  ({
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentTriggerRule',
    metadata: { name: 'ready', namespace: 'acme' },
    spec: {
      lifecycle: 'active',
      source: { events: ['label'], repositories: ['acme/checkout-web'] },
      matchers: [
        { field: 'label.name', operator: 'equals', values: ['agent:ready'] },
        { field: 'issue.state', operator: 'in', values: ['open', 'reopened'] },
      ],
      stack: 'scripted-demo',
      ...spec,
    },
  } as AgentTriggerRule);

const labelled = {
  source: 'label' as const,
  repository: 'acme/checkout-web',
  event: {
    label: { name: 'agent:ready' },
    issue: { state: 'open', number: 42 },
  },
};

describe('evaluateRule', () => {
  it('matches when the event type, the repository and every matcher match, showing each value', () => {
    expect(evaluateRule(rule(), labelled)).toEqual({
      matched: true,
      conditions: [
        {
          path: 'spec.source.events',
          description: 'event is one of label',
          matched: true,
          actual: 'label',
        },
        {
          path: 'spec.source.repositories',
          description: 'repository is one of acme/checkout-web',
          matched: true,
          actual: 'acme/checkout-web',
        },
        {
          path: 'spec.matchers[0]',
          description: "label.name equals 'agent:ready'",
          matched: true,
          actual: 'agent:ready',
        },
        {
          path: 'spec.matchers[1]',
          description: "issue.state in 'open', 'reopened'",
          matched: true,
          actual: 'open',
        },
      ],
    });
  });

  it('evaluates every condition and says why each failed one did not match', () => {
    const result = evaluateRule(rule(), {
      source: 'push',
      repository: 'acme/other',
      event: { label: { name: 'bug' } },
    });
    expect(result.matched).toBe(false);
    expect(result.conditions.map(c => [c.matched, c.reason])).toEqual([
      [false, 'the rule does not listen to push events'],
      [false, "acme/other is not one of the rule's repositories"],
      [false, 'label.name is "bug"'],
      [false, 'issue.state is missing'],
    ]);
  });

  it('asks for a repository only when the rule lists repositories', () => {
    const anyRepository = rule({ source: { events: ['label'] } });
    expect(
      evaluateRule(anyRepository, {
        ...labelled,
        repository: undefined,
      }).conditions.map(c => c.path),
    ).toEqual(['spec.source.events', 'spec.matchers[0]', 'spec.matchers[1]']);
    expect(
      evaluateRule(rule(), { ...labelled, repository: undefined }).conditions[1]
        .reason,
    ).toBe('the sample names no repository');
  });
});

describe('evaluateMatcher', () => {
  const event = {
    ref: 'refs/heads/release/2.1',
    pull_request: { number: 7, draft: false, labels: ['agent', 'ui'] },
    title: 'fix(checkout): total',
  };
  const check = (
    field: string,
    operator: 'equals' | 'in' | 'glob' | 'regex' | 'exists',
    values?: string[],
  ) => evaluateMatcher({ field, operator, values }, event, 'spec.matchers[0]');

  it.each([
    ['ref', 'glob', ['refs/heads/release/*'], true],
    ['ref', 'glob', ['refs/heads/main'], false],
    ['title', 'regex', ['^fix\\(checkout\\)'], true],
    ['title', 'regex', ['^feat'], false],
    ['pull_request.number', 'equals', ['7'], true],
    ['pull_request.draft', 'equals', ['false'], true],
    ['pull_request.labels', 'in', ['agent'], true],
    ['pull_request.labels', 'equals', ['docs'], false],
    ['pull_request.number', 'exists', undefined, true],
    ['pull_request.merged', 'exists', undefined, false],
  ] as const)('%s %s %j → %s', (field, operator, values, matched) => {
    expect(
      check(field, operator, values ? [...values] : undefined).matched,
    ).toBe(matched);
  });

  it('refuses to match with a pattern that cannot work, saying which', () => {
    expect(check('title', 'regex', ['fix', '(']).reason).toBe(
      'values[1] is not a valid regular expression',
    );
    expect(check('title', 'equals', ['a', 'b']).reason).toBe(
      'equals takes one value; use in for several',
    );
    expect(check('title', 'in', []).reason).toBe('in needs values');
    expect(check('pull_request', 'equals', ['x']).reason).toBe(
      'pull_request is not text, a number or a boolean',
    );
  });
});
