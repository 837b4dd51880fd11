import { expect, test } from '@playwright/test';
import { BACKEND, guestToken, listeningToChanges, openAgents } from './portal';

test('a run dispatched by another client shows up in the open runs list at once, pushed by a signal', async ({
  page,
  request,
}) => {
  // Signals are not replayed: dispatch only once the page listens on the agents channel.
  const listening = listeningToChanges(page);
  await openAgents(page);
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/agents\/runs$/);
  // With signals the list polls only every 30 s as a safety net: what arrives sooner was pushed.
  await expect(page.getByText(/updates pushed \(signals\)/)).toBeVisible();
  await listening;

  const token = await guestToken(request);
  const dispatched = await request.post(`${BACKEND}/api/agents/runs`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      namespace: 'acme',
      stack: 'scripted-demo',
      prompt: 'Pushed, not polled',
    },
  });
  expect(dispatched.status()).toBe(201);
  const runName = (await dispatched.json()).metadata.name as string;

  const row = page
    .getByRole('table', { name: 'Agent runs' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row.getByLabel('Phase Waiting')).toBeVisible({
    timeout: 10_000,
  });
  await page.screenshot({
    path: 'test-results/screenshots/runs-list-pushed.png',
  });
});
