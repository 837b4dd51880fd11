import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

test('a demo run reads the memory and proposes its journal, which is reviewed, merged and then found in the memory', async ({
  page,
}) => {
  await openAgents(page);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('button', { name: 'New run' }).first().click();
  await page
    .getByRole('radiogroup', { name: 'Stack' })
    .getByRole('radio', { name: /memory-scribe/ })
    .check();
  await page.getByLabel('Prompt').fill('Note what the ledger retry budget is');
  await page.getByRole('button', { name: 'Dispatch' }).click();
  await expect(page).toHaveURL(/\/agents\/runs\/memory-scribe-[a-z0-9]+$/);
  await expect(page.getByLabel('Phase Succeeded').first()).toBeVisible();

  // The run read the memory at an explicit commit, and proposed what it wrote down.
  await expect(page.getByLabel('Snapshot commit')).toContainText(/[0-9a-f]{7}/);
  const proposals = page.getByRole('list', {
    name: 'Memory updates of the run',
  });
  await expect(proposals).toContainText('Memory from run memory-scribe-');
  await page.screenshot({
    path: 'test-results/screenshots/run-memory.png',
    fullPage: true,
  });
  await proposals.getByRole('link').first().click();

  await expect(page).toHaveURL(/\/agents\/memory\/updates\/acme\//);
  await expect(
    page.getByText('journal/ledger-retry-budget.md').first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.getByRole('button', { name: 'Merge' }).click();
  await expect(page.getByLabel('Merged commit')).toContainText(/[0-9a-f]{7}/);
  await page.screenshot({
    path: 'test-results/screenshots/memory-update-merged.png',
    fullPage: true,
  });

  // The merged journal is in the memory now.
  await page.getByRole('tab', { name: 'Memory' }).click();
  await page
    .getByRole('navigation', { name: 'Memory sections' })
    .getByRole('link', { name: 'Search' })
    .click();
  const form = page.getByRole('form', { name: 'Search the memory' });
  await form.getByLabel('Text').fill('A fourth failure');
  await form.getByLabel('Text').press('Enter');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results).toContainText('journal/ledger-retry-budget.md');
});
