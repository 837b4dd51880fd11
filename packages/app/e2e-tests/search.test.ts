import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

test("a search result for an agent stack shows what it is and opens the stack's page", async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  // The agents collator indexes 15 s after the backend starts; until then there is no result.
  const result = page.getByLabel('Agents result release-helper (AgentStack)');
  await expect(async () => {
    await page.goto('/search?query=release');
    await expect(result).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await expect(result).toContainText('AgentStack');
  await expect(result).toContainText('org: acme');
  await page.screenshot({
    path: 'test-results/screenshots/search-result.png',
    fullPage: true,
  });

  await result
    .getByRole('link', { name: 'release-helper (AgentStack)' })
    .click();
  await expect(page).toHaveURL(/\/agents\/stacks\/acme\/release-helper$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'release-helper' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/search-result-opened.png',
    fullPage: true,
  });
});

test("a dispatched run is found by its prompt, and its result opens the run's page", async ({
  page,
}) => {
  // Runs are indexed every minute, reading only what changed: this one, a minute later at most.
  test.setTimeout(240_000);
  await openAgents(page);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await page.getByRole('button', { name: 'New run' }).first().click();
  await page
    .getByRole('radiogroup', { name: 'Stack' })
    .getByRole('radio', { name: /scripted-demo/ })
    .check();
  const prompt = 'Reconcile the quarterly ledger totals';
  await page.getByLabel('Prompt').fill(`${prompt}\nThen explain the gaps.`);
  await page.getByLabel('Repository').fill('acme/payments-api');
  await page.getByRole('button', { name: 'Dispatch' }).click();
  await expect(page).toHaveURL(/\/agents\/runs\/scripted-demo-[a-z0-9]+$/);
  const runName = page.url().split('/').pop()!;

  const result = page.getByLabel(`Agents result ${prompt}`);
  await expect(async () => {
    await page.goto('/search?query=quarterly%20ledger');
    await expect(result).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 180_000 });
  await expect(result).toContainText('Run');
  await expect(result).toContainText('repository: acme/payments-api');
  await expect(result).toContainText('stack: scripted-demo');
  await expect(result.getByLabel(/^Phase /)).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/search-run-result.png',
    fullPage: true,
  });

  await result.getByRole('link', { name: prompt }).click();
  await expect(page).toHaveURL(
    new RegExp(`/agents/runs/${runName}\\?namespace=acme$`),
  );
  await expect(
    page.getByRole('heading', { level: 1, name: runName }),
  ).toBeVisible();
});
