import { expect, test } from '@playwright/test';

test('runs the "Repository with a Krate agent" template on a repository agents know, then follows the link to its onboarding run', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Create', exact: true })
    .click();
  await expect(page).toHaveURL(/\/create\/templates/);

  // The template's card: the innermost element holding its title and a Choose button.
  const title = page.getByRole('heading', {
    name: 'Repository with a Krate agent',
  });
  const choose = page.getByRole('button', { name: 'Choose' });
  await page
    .locator('div')
    .filter({ has: title })
    .filter({ has: choose })
    .last()
    .getByRole('button', { name: 'Choose' })
    .click();

  // The demo has no forge: it onboards acme/payments-api, which agents.repositories declares.
  await page.getByLabel('Repository name').fill('payments-api');
  await page.getByRole('button', { name: /^Where/ }).click();
  await page
    .getByRole('option', { name: /A repository Krate Agents already knows/ })
    .click();
  await page.getByRole('button', { name: 'Next' }).click();

  await page.getByLabel('Trigger label').fill('agent:onboard');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  const runLink = page.getByRole('link', { name: 'Onboarding run' });
  await expect(runLink).toBeVisible({ timeout: 60_000 });
  await expect(runLink).toHaveAttribute(
    'href',
    /\/agents\/runs\/payments-api-onboarding-[a-z0-9]+\?namespace=acme$/,
  );
  await page.screenshot({
    path: 'test-results/screenshots/scaffolder-agents-onboarding.png',
    fullPage: true,
  });

  // The link is absolute (app.baseUrl), so the task page opens it in a new window.
  const [runPage] = await Promise.all([
    page.context().waitForEvent('page'),
    runLink.click(),
  ]);
  await expect(runPage).toHaveURL(/\/agents\/runs\/payments-api-onboarding-/);
  await expect(runPage.getByLabel('Phase Succeeded').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    runPage.getByRole('log', { name: 'Run transcript' }),
  ).toContainText('ONBOARDING.md is ready for review.');
  await runPage.screenshot({
    path: 'test-results/screenshots/scaffolder-onboarding-run.png',
    fullPage: true,
  });
});
