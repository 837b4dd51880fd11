import { renderTemplate, valueAt } from './renderTemplate';

const values = {
  event: {
    issue: { number: 42, title: 'Checkout fails', labels: [{ name: 'bug' }] },
    draft: false,
  },
  repository: 'acme/checkout-web',
  rule: 'checkout-agent-ready',
  source: 'label',
  namespace: 'acme',
};

describe('renderTemplate', () => {
  it('fills event fields, the repository and the rule, numbers and booleans as text', () => {
    expect(
      renderTemplate(
        '{{repository}}#{{ event.issue.number }} {{event.issue.title}} ({{rule}}, draft {{event.draft}})',
        values,
      ),
    ).toEqual({
      text: 'acme/checkout-web#42 Checkout fails (checkout-agent-ready, draft false)',
      missing: [],
    });
  });

  it('renders objects and arrays as JSON and reads array items by index', () => {
    expect(
      renderTemplate(
        '{{event.issue.labels}} {{event.issue.labels.0.name}}',
        values,
      ).text,
    ).toBe('[{"name":"bug"}] bug');
  });

  it('renders a missing field empty and names it once', () => {
    expect(
      renderTemplate(
        '{{event.issue.body}}|{{event.issue.body}}|{{event.pr.x}}',
        values,
      ),
    ).toEqual({ text: '||', missing: ['event.issue.body', 'event.pr.x'] });
  });

  it('does not interpret template syntax that comes from the payload', () => {
    const rendered = renderTemplate('{{event.issue.title}}', {
      ...values,
      event: { issue: { title: '{{rule}} {{namespace}}' } },
    });
    expect(rendered.text).toBe('{{rule}} {{namespace}}');
  });
});

describe('valueAt', () => {
  it('reads own fields only, so prototype names are missing', () => {
    expect(valueAt({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(valueAt({ a: {} }, 'a.constructor')).toBeUndefined();
    expect(valueAt({ a: 'text' }, 'a.length')).toBeUndefined();
  });
});
