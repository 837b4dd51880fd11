import { expect, test } from '@playwright/test';
import { openAgents, unstableRenderingWarnings } from './portal';

test('opens a seeded stack, edits it in the builder, form and YAML in sync, and applies it', async ({
  page,
}) => {
  const unstable = unstableRenderingWarnings(page);
  await openAgents(page);
  await page.getByRole('link', { name: 'Agent stacks' }).click();
  await expect(page).toHaveURL(/\/agents\/stacks$/);
  await expect(page.getByRole('button', { name: 'New stack' })).toBeVisible();

  await page.getByRole('link', { name: 'scripted-demo' }).click();
  await expect(page).toHaveURL(/\/agents\/stacks\/acme\/scripted-demo$/);
  await expect(
    page.getByRole('heading', { level: 1, name: 'scripted-demo' }),
  ).toBeVisible();
  await expect(page.getByLabel('Readiness Ready')).toBeVisible();
  await expect(page.getByLabel('Profile digest')).toContainText('sha256:');
  await page.screenshot({
    path: 'test-results/screenshots/stack-detail.png',
    fullPage: true,
  });

  await page.getByRole('button', { name: 'Edit in builder' }).click();
  await expect(page).toHaveURL(/\/agents\/stacks\?edit=acme%2Fscripted-demo$/);
  await expect(page.getByText('Applied', { exact: true })).toBeVisible();

  await page.getByLabel('spec.model').fill('e2e-model');
  await expect(page.getByText('Draft differs from applied')).toBeVisible();
  // Escape does not silently drop the edit.
  await page.keyboard.press('Escape');
  const discard = page.getByRole('dialog', { name: 'Discard your changes?' });
  await expect(discard).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/stack-builder-discard.png',
  });
  await discard.getByRole('button', { name: 'Keep editing' }).click();
  await expect(discard).toBeHidden();
  await expect(page.getByLabel('spec.model')).toHaveValue('e2e-model');
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByLabel('YAML')).toHaveValue(/model: e2e-model/);
  await page.screenshot({
    path: 'test-results/screenshots/stack-builder-yaml.png',
  });

  await page.getByRole('button', { name: 'Preview changes' }).click();
  const preview = page.getByLabel('dry run result');
  await expect(preview).toContainText('Dry run — nothing was applied');
  await expect(preview).toContainText('+ model: e2e-model');
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await expect(page.getByLabel('apply result')).toContainText(
    'AgentStack acme/scripted-demo: configured',
  );
  await expect(page.getByText('Applied', { exact: true })).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/stack-builder-applied.png',
  });
  expect(unstable).toEqual([]);
});
