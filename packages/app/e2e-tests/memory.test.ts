import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

test("browses the demo org's memory graph by kind, traverses an edge to a record's source file, and opens a search result", async ({
  page,
}) => {
  await openAgents(page);
  await page.getByRole('tab', { name: 'Memory' }).click();
  await expect(page).toHaveURL(/\/agents\/memory/);
  await expect(page.getByLabel('Resolved commit').first()).toContainText(
    /[0-9a-f]{7}/,
  );
  // The memory's root page, rendered.
  await expect(page.getByLabel('Rendered MEMORY.md')).toContainText(
    'company brain',
  );

  await page
    .getByRole('navigation', { name: 'Memory sections' })
    .getByRole('link', { name: 'Graph' })
    .click();
  const graph = page.getByRole('figure', { name: 'Memory graph' });
  const paymentsApi = graph.getByRole('group', {
    name: 'payments-api (service)',
  });
  await expect(paymentsApi).toBeVisible();
  await expect(
    graph.getByRole('group', { name: /\(decision\)$/ }).first(),
  ).toBeVisible();

  // Only services: decisions leave the picture.
  await page
    .getByRole('group', { name: 'Record kinds' })
    .getByRole('button', { name: 'service' })
    .click();
  await expect(page).toHaveURL(/kind=service/);
  await expect(graph.getByRole('group', { name: /\(decision\)$/ })).toHaveCount(
    0,
  );
  await expect(paymentsApi).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/memory-graph-services.png',
  });

  // Back to every kind, then walk out from payments-api along its edges.
  await page
    .getByRole('group', { name: 'Record kinds' })
    .getByRole('button', { name: 'All kinds' })
    .click();
  await paymentsApi.click();
  const selected = page.getByLabel('Selected record');
  await expect(selected).toContainText('group:default/payments');
  await page.getByRole('button', { name: 'Show neighbourhood' }).click();
  await expect(page).toHaveURL(/around=services%2Fpayments-api/);
  const rollback = graph.getByRole('group', {
    name: 'Rolling back payments-api (runbook)',
  });
  await expect(rollback).toBeVisible();
  await rollback.click();
  await expect(selected).toContainText('runbook');
  await page.screenshot({
    path: 'test-results/screenshots/memory-graph-neighbourhood.png',
  });
  await selected.getByRole('link', { name: /runbooks\/.*\.md@/ }).click();
  await expect(page).toHaveURL(/\/agents\/memory\/records\?.*id=runbooks/);
  await expect(
    page.getByLabel('Rendered runbooks/payments-api-rollback.md'),
  ).toContainText('Find the last good release tag');
  await page.getByRole('tab', { name: 'Source' }).click();
  await expect(
    page.getByLabel('Content of runbooks/payments-api-rollback.md'),
  ).toContainText('kind: runbook');

  // Search, then open a result.
  await page
    .getByRole('navigation', { name: 'Memory sections' })
    .getByRole('link', { name: 'Search' })
    .click();
  const form = page.getByRole('form', { name: 'Search the memory' });
  await form.getByLabel('Text').fill('idempotency key');
  await form.getByLabel('Text').press('Enter');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('listitem').first()).toBeVisible();
  await expect(results).toContainText(/@[0-9a-f]{7}/);
  await page.screenshot({ path: 'test-results/screenshots/memory-search.png' });
  await results.getByRole('link').first().click();
  await expect(page).toHaveURL(/\/agents\/memory\/records\?/);
  await expect(page.getByLabel(/^Rendered /)).toContainText(/idempotency/i);
});
