import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

test('a stack whose skill lacks a grant offers the grant prepared; applying it makes the stack Ready', async ({
  page,
}) => {
  await openAgents(page);
  await page.getByRole('link', { name: 'Agent stacks' }).click();
  await page.getByRole('link', { name: 'release-helper' }).click();
  await expect(page).toHaveURL(/\/agents\/stacks\/acme\/release-helper$/);

  // The demo's release-checklist skill needs Secret release-bot key token; nothing grants it.
  await expect(page.getByLabel('Readiness Invalid')).toBeVisible();
  await expect(page.getByLabel('Condition Invalid')).toContainText(
    'MissingGrant',
  );
  await page.getByRole('button', { name: 'Grant Secret release-bot' }).click();

  // The editor opens on a prepared grant: the key, the agent identity and the skill that needs it.
  await page.getByRole('tab', { name: 'YAML' }).click();
  const yaml = page.getByLabel('YAML');
  await expect(yaml).toHaveValue(/kind: AgentSecretGrant/);
  await expect(yaml).toHaveValue(/secretName: release-bot/);
  await expect(yaml).toHaveValue(/- token/);
  await expect(yaml).toHaveValue(/name: agent-default/);
  await expect(yaml).toHaveValue(/name: release-checklist/);
  await page.getByRole('button', { name: 'Preview changes' }).click();
  await expect(page.getByLabel('dry run result')).toContainText(
    'Dry run — nothing was applied',
  );
  await page.screenshot({
    path: 'test-results/screenshots/prepared-grant.png',
    fullPage: true,
  });

  // The same YAML can go to review instead: the demo's acme/platform-config has no forge, so the
  // proposal is a branch holding the grant's file.
  await page.getByRole('button', { name: 'Push to a branch' }).click();
  await expect(page.getByLabel('proposal result')).toContainText(
    /Branch krate\/config\/agentsecretgrant-release-helper-release-bot-[0-9a-f]{8} pushed to acme\/platform-config/,
  );
  await expect(page.getByLabel('proposal result')).toContainText(
    'agents/AgentSecretGrant/release-helper-release-bot.yaml',
  );
  await page.screenshot({
    path: 'test-results/screenshots/proposed-grant.png',
    fullPage: true,
  });
  await page.getByRole('button', { name: 'Apply', exact: true }).click();

  // The stack controller checks the stack again; the page shows it as the change is signalled,
  // and the editor stays on the stored grant.
  await expect(page.getByLabel('Readiness Ready')).toBeVisible();
  await expect(page.getByLabel('Condition Invalid')).toHaveCount(0);
  await expect(page.getByText('Applied', { exact: true })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.screenshot({
    path: 'test-results/screenshots/granted-stack-ready.png',
    fullPage: true,
  });
});
