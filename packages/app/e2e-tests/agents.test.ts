import { expect, test } from '@playwright/test';

test('signs in as guest and opens the Agents page from the sidebar', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  const sidebar = page.getByRole('navigation', { name: 'sidebar nav' });
  await sidebar.getByRole('link', { name: 'Agents', exact: true }).click();

  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
  await expect(page.getByText('Agents backend')).toBeVisible();
  await expect(page.getByText('SQLite')).toBeVisible();

  await page.screenshot({
    path: 'test-results/screenshots/agents-page.png',
    fullPage: true,
  });
});
