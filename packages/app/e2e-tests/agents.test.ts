import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

test('signs in as guest and opens the Agents page from the sidebar', async ({
  page,
}) => {
  await openAgents(page);

  await expect(page).toHaveURL(/\/agents$/);
  await expect(page.getByRole('heading', { name: 'Agents' })).toBeVisible();
  await expect(page.getByText('Agents backend')).toBeVisible();
  await expect(page.getByText('SQLite')).toBeVisible();

  await page.screenshot({
    path: 'test-results/screenshots/agents-page.png',
    fullPage: true,
  });
});
