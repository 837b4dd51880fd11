import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const docsUrl = '/docs/default/component/krate-agents-backstage';
const mkdocsYmlPath = path.resolve(__dirname, '../../../mkdocs.yml');

test("the repository's docs/ render as the krate-agents-backstage TechDocs and their nav links to another page", async ({
  page,
}) => {
  // The embedded builder runs mkdocs when the docs are first opened.
  test.setTimeout(360_000);
  const mkdocsYmlBefore = fs.readFileSync(mkdocsYmlPath, 'utf8');

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // Signed in (the guest sign-in is remembered for the next page load) before going to the docs.
  await expect(
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Docs', exact: true }),
  ).toBeVisible();
  // The catalog may not have read catalog-info.yaml yet, and the reader asks only once: open the
  // docs again until the home page shows, built by mkdocs on the first open that finds the entity.
  const home = page.getByRole('heading', {
    level: 1,
    name: 'Krate Agents for Backstage — project docs',
  });
  await expect(async () => {
    await page.goto(docsUrl);
    await expect(home).toBeVisible({ timeout: 90_000 });
  }).toPass({ timeout: 270_000 });
  // The Material theme's navigation, with the grouping of mkdocs.yml.
  const nav = page.locator('nav.md-nav--primary');
  const runningAgents = nav
    .locator('label.md-nav__link')
    .filter({ hasText: 'Running agents' });
  await expect(runningAgents).toBeVisible();

  await runningAgents.click();
  await nav.getByRole('link', { name: 'Dispatch', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${docsUrl}/dispatch/?$`));
  const dispatchHeading = page.getByRole('heading', {
    level: 1,
    name: 'Dispatch: runs, attempts, events and approvals',
  });
  await expect(dispatchHeading).toBeVisible();
  await dispatchHeading.scrollIntoViewIfNeeded();
  // The reader keeps the docs transparent until every stylesheet of the page has loaded.
  await expect
    .poll(() =>
      dispatchHeading.evaluate(
        heading => getComputedStyle(heading.closest('html')!).opacity,
      ),
    )
    .toBe('1');
  // The reader's page is as tall as the longest docs page; the viewport shows the page opened.
  await page.screenshot({ path: 'test-results/screenshots/techdocs.png' });

  // The builder builds in the repository itself (a dir: reference) and rewrites its mkdocs.yml
  // in place: the file is kept in the form that rewrite produces, so the build leaves it unchanged.
  expect(fs.readFileSync(mkdocsYmlPath, 'utf8')).toBe(mkdocsYmlBefore);
});
