import { expect, test } from '@playwright/test';
import {
  deliverIssueEvent,
  openAgents,
  unstableRenderingWarnings,
} from './portal';

/** The rest of the rule, written in the YAML tab once the form has its name. */
const RULE_YAML = `apiVersion: agents.krate.dev/v1alpha1
kind: AgentTriggerRule
metadata:
  name: triage-new-issues
  namespace: acme
spec:
  lifecycle: draft
  source:
    events: [issue]
    repositories: [acme/checkout-web]
  matchers:
    - { field: action, operator: equals, values: [opened] }
  stack: scripted-demo
  promptTemplate: "Triage issue #{{event.issue.number}}: {{event.issue.title}}"
`;

// An opened issue: the seeded rule listens to labels only, so this delivery dispatches nothing
// and leaves its counts to webhooks.test.ts.
test('authors a new rule: draft kept over a reload, sample from a recent delivery, dry-run, apply', async ({
  page,
  request,
}) => {
  const unstable = unstableRenderingWarnings(page);
  const event = {
    action: 'opened',
    issue: {
      number: 88,
      title: 'Gift cards cannot be combined with coupons',
      body: 'The second code replaces the first.',
      state: 'open',
      html_url: 'https://github.com/acme/checkout-web/issues/88',
    },
    repository: { full_name: 'acme/checkout-web' },
    sender: { login: 'octocat' },
  };
  await deliverIssueEvent(request, event);

  await openAgents(page);
  await expect(page).toHaveURL(/\/agents/);
  await page.goto('/agents/rules?namespace=acme');
  await page.getByRole('button', { name: 'New rule' }).click();
  const editor = page.locator('[class*="MuiDrawer-paper"]');
  await editor
    .getByLabel('metadata.name', { exact: true })
    .fill('triage-new-issues');
  await editor.getByRole('tab', { name: 'YAML' }).click();
  await editor.getByLabel('YAML').fill(RULE_YAML);
  // Kept server-side by the user-settings backend: reload only once it has it.
  const saved = page.waitForResponse(
    response =>
      /\/api\/user-settings\/buckets\/[^/]*agents-drafts\//.test(
        response.url(),
      ) && response.request().method() === 'PUT',
  );
  await editor.getByRole('button', { name: 'Save draft' }).click();
  expect((await saved).ok()).toBe(true);

  // A reload drops the drawer; New rule offers the saved draft back.
  await page.reload();
  await page.getByRole('button', { name: 'New rule' }).click();
  await expect(editor.getByLabel('saved draft')).toContainText(
    'You have a draft of this object saved at',
  );
  await editor.getByRole('button', { name: 'Restore' }).click();
  await expect(editor.getByLabel('metadata.name', { exact: true })).toHaveValue(
    'triage-new-issues',
  );
  await expect(editor.getByLabel('spec.stack', { exact: true })).toHaveValue(
    'scripted-demo',
  );

  await editor
    .getByRole('button', { name: /Sample from a recent delivery/ })
    .click();
  await page
    .getByRole('option', { name: /^issues\.opened · acme\/checkout-web · / })
    .first()
    .click();
  await expect(editor.getByLabel('Sample event')).toHaveValue(
    /Gift cards cannot be combined with coupons/,
  );
  await expect(editor.getByLabel('Repository')).toHaveValue(
    'acme/checkout-web',
  );
  await editor
    .getByRole('button', { name: /Sample from a recent delivery/ })
    .scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/rule-authoring-sample.png',
  });

  await editor.getByRole('button', { name: 'Dry run', exact: true }).click();
  const result = editor.getByRole('region', { name: 'Dry-run result' });
  await expect(result.getByLabel('Outcome dispatched')).toBeVisible();
  await expect(result.getByLabel('Rendered prompt')).toContainText(
    'Triage issue #88: Gift cards cannot be combined with coupons',
  );
  await page.mouse.move(0, 0);
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/rule-authoring-dry-run.png',
  });

  await editor.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page).toHaveURL(/\/agents\/rules\/acme\/triage-new-issues$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'triage-new-issues' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/rule-authoring-applied.png',
    fullPage: true,
  });
  expect(unstable).toEqual([]);
});
