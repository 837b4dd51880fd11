import { expect, test } from '@playwright/test';
import { deliverIssueEvent, listeningToChanges, openAgents } from './portal';

// Runs after rules.test.ts (one worker, files in name order): the run it dispatches stays
// waiting for the approval of its `npm test`, so a later dry-run of the rule would see it active.
test('a signed GitHub delivery that labels an issue dispatches through the seeded rule, and the rule page shows it as it lands', async ({
  page,
  request,
}) => {
  // Signed in once the Agents page opened; a page loaded before that asks again.
  await openAgents(page);
  await expect(page).toHaveURL(/\/agents/);
  const listening = listeningToChanges(page);
  await page.goto('/agents/rules/acme/checkout-agent-ready');
  const executions = page.getByRole('table', { name: 'Recent executions' });
  await expect(
    page.getByRole('heading', { level: 1, name: 'checkout-agent-ready' }),
  ).toBeVisible();
  await listening;

  // What GitHub sends when issue #77 of acme/checkout-web gets the agent:ready label.
  const event = {
    action: 'labeled',
    label: { name: 'agent:ready' },
    issue: {
      number: 77,
      title: 'Coupon codes are case-sensitive',
      body: 'SAVE10 works, save10 does not.',
      state: 'open',
      html_url: 'https://github.com/acme/checkout-web/issues/77',
    },
    repository: { full_name: 'acme/checkout-web' },
    sender: { login: 'octocat' },
  };
  const deliveryName = await deliverIssueEvent(request, event);

  // Pushed by a signal: the page's safety poll is 30 s.
  const row = executions
    .getByRole('row')
    .filter({ hasText: 'acme/checkout-web#77' });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByLabel('Outcome dispatched')).toBeVisible();
  await expect(row).not.toContainText('dry run');
  await expect(page.getByText('1 dispatched · 0 coalesced')).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/rule-webhook-delivery.png',
    fullPage: true,
  });

  await row.getByRole('link').click();
  await expect(page).toHaveURL(/\/agents\/runs\/scripted-demo-/);
  await expect(
    page.getByRole('heading', { level: 1, name: /^scripted-demo-/ }),
  ).toBeVisible();
  // The run's prompt is the rule's template filled from the delivery.
  await expect(
    page.getByText('Fix issue #77: Coupon codes are case-sensitive').first(),
  ).toBeVisible();

  // Replayed from the Rules tab: the same issue again, so the rule joins the run it started.
  await page.getByRole('tab', { name: 'Rules' }).click();
  const deliveries = page.getByRole('table', {
    name: 'Recent webhook deliveries',
  });
  await deliveries
    .getByRole('row', { name: deliveryName })
    .getByRole('button', { name: 'Replay' })
    .click();
  await expect(page.getByText(`Replaying ${deliveryName} as`)).toBeVisible();
  const replayed = deliveries
    .getByRole('row')
    .filter({ hasText: `replay of ${deliveryName}` });
  await expect(replayed).toContainText('processed');
  await page.goto('/agents/rules/acme/checkout-agent-ready');
  await expect(
    executions
      .getByRole('row')
      .filter({ hasText: 'acme/checkout-web#77' })
      .filter({ has: page.getByLabel('Outcome coalesced') }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/rule-webhook-replay.png',
    fullPage: true,
  });
});
