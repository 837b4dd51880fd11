import { expect, test } from '@playwright/test';

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
