import { TriggerEventType } from '@krate/plugin-agents-common';

const ISSUE = {
  number: 42,
  title: 'Checkout total rounds to the wrong cent',
  body: 'A cart of 3 × 0.10 shows 0.31 at checkout.',
  state: 'open',
  html_url: 'https://git.example.com/acme/checkout-web/issues/42',
};

const SHA = '8f2c1e0b9d4a7c6e5f3b2a1908d7c6b5a4e3f2d1';

/**
 * A small payload per event type, shaped like the GitHub/Gitea webhook payload of that type, to
 * start a dry-run from.
 */
const SAMPLE_EVENTS: Record<TriggerEventType, Record<string, unknown>> = {
  issue: { action: 'opened', issue: ISSUE },
  'pull-request': {
    action: 'opened',
    pull_request: {
      number: 7,
      title: 'Round checkout totals in integer cents',
      body: 'Fixes #42.',
      state: 'open',
      draft: false,
      html_url: 'https://git.example.com/acme/checkout-web/pulls/7',
      head: { ref: 'fix/rounding', sha: SHA },
      base: { ref: 'main' },
    },
  },
  comment: {
    action: 'created',
    comment: {
      body: '/agent please take a look',
      user: { login: 'octocat' },
      html_url:
        'https://git.example.com/acme/checkout-web/issues/42#issuecomment-1',
    },
    issue: ISSUE,
  },
  label: {
    action: 'labeled',
    label: { name: 'agent:ready' },
    issue: ISSUE,
  },
  push: {
    ref: 'refs/heads/main',
    before: '0000000000000000000000000000000000000000',
    after: SHA,
    head_commit: {
      id: SHA,
      message: 'Round checkout totals in integer cents',
      author: { name: 'Octo Cat', email: 'octocat@example.com' },
    },
  },
  tag: { ref: 'refs/tags/v1.4.0', ref_type: 'tag', after: SHA },
  check: {
    action: 'completed',
    check_run: {
      name: 'unit-tests',
      status: 'completed',
      conclusion: 'failure',
      head_sha: SHA,
      html_url: 'https://ci.example.com/acme/checkout-web/runs/981',
    },
  },
  schedule: {
    scheduledTime: '2026-01-05T06:00:00.000Z',
    rule: 'weekly-triage',
    schedule: '0 6 * * 1',
    timeZone: 'UTC',
  },
  webhook: {
    alert: {
      name: 'CheckoutErrorRate',
      severity: 'critical',
      summary: 'Checkout errors above 2% for 10 minutes',
    },
  },
};

/** The sample payload of an event type as indented JSON, for the dry-run form. */
export function sampleEventText(source: TriggerEventType): string {
  return JSON.stringify(SAMPLE_EVENTS[source], null, 2);
}
