import { expect, test } from '@playwright/test';
import { openAgents, unstableRenderingWarnings } from './portal';

test('opens the seeded trigger rule and dry-runs it on a matching and a non-matching sample', async ({
  page,
}) => {
  const unstable = unstableRenderingWarnings(page);
  await openAgents(page);

  await page.getByRole('tab', { name: 'Rules' }).click();
  await expect(page).toHaveURL(/\/agents\/rules$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Trigger rules' }),
  ).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/rules-list.png' });

  await page.getByRole('link', { name: 'checkout-agent-ready' }).click();
  await expect(page).toHaveURL(/\/agents\/rules\/acme\/checkout-agent-ready$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'checkout-agent-ready' }),
  ).toBeVisible();
  await expect(page.getByRole('list', { name: 'Matchers' })).toContainText(
    'label.name equals agent:ready',
  );

  // The form starts with the rule's source (label), its repository and the label sample.
  const dryRun = page.getByRole('button', { name: 'Dry run', exact: true });
  await dryRun.click();
  const result = page.getByRole('region', { name: 'Dry-run result' });
  await expect(result.getByLabel('Outcome dispatched')).toBeVisible();
  await expect(
    result.getByRole('row', { name: /label\.name equals/ }),
  ).toContainText('✓');
  await expect(result.getByLabel('Rendered prompt')).toContainText(
    'Fix issue #42',
  );
  await expect(
    page
      .getByRole('table', { name: 'Recent executions' })
      .getByText('dry run')
      .first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/rule-dry-run-dispatched.png',
    fullPage: true,
  });

  const sample = page.getByLabel('Sample event');
  const matching = await sample.inputValue();
  await sample.fill(
    matching.replace('"name": "agent:ready"', '"name": "wontfix"'),
  );
  await expect(
    page.getByText(/result below is for the previous input/),
  ).toBeVisible();
  await dryRun.click();
  await expect(result.getByLabel('Outcome not-matched')).toBeVisible();
  const labelRow = result.getByRole('row', { name: /label\.name equals/ });
  await expect(labelRow).toContainText('✗');
  await expect(labelRow).toContainText('"wontfix"');
  await page.screenshot({
    path: 'test-results/screenshots/rule-dry-run-not-matched.png',
    fullPage: true,
  });
  expect(unstable).toEqual([]);
});
