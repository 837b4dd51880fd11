import { expect, Page, test } from '@playwright/test';

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
  });

/** Signs in as guest and opens the payments-api Component's Agents tab from the catalog. */
async function openAgentsTab(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  // The portal lands on the Home page; the catalog has its own page.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  await expect(page).toHaveURL(/\/catalog(\?|$)/);
  // The catalog starts on the guest's "Owned" list; payments-api belongs to the payments team.
  // A click on "All" before the catalog applied its initial filter is overridden by it, and once
  // in CI no click took for two minutes: ask for all components in the address instead, as the
  // "All" filter itself writes it.
  const paymentsApi = page.getByRole('link', {
    name: 'payments-api',
    exact: true,
  });
  await page.goto('/catalog?filters%5Bkind%5D=component&filters%5Buser%5D=all');
  await expect(page.getByRole('menuitem', { name: /^All/ })).toBeVisible();
  await paymentsApi.click();
  await expect(page).toHaveURL(/\/catalog\/default\/component\/payments-api/);
  await shot(page, 'entity-overview');

  await expect(page.getByLabel(/pending approvals$/)).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Agents' })
    .click();
  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/payments-api\/agents$/,
  );
}

/** Dispatches the scripted demo from the tab's composer; answers the new run's name. */
async function dispatchScriptedDemo(page: Page, prompt: string) {
  const composer = page.getByRole('form', { name: 'Dispatch a stack' });
  await composer.getByRole('radio', { name: /scripted-demo/ }).check();
  await composer.getByLabel('Prompt').fill(prompt);
  await expect(composer.getByLabel('Request body')).toContainText(
    '"repository": "acme/payments-api"',
  );
  await composer.getByRole('button', { name: 'Dispatch' }).click();
  const notice = page.getByText(/^Dispatched/);
  await expect(notice).toBeVisible();
  await expect(notice).toBeInViewport();
  const runName = (await notice.getByRole('link').textContent())!.trim();
  expect(runName).toMatch(/^scripted-demo-[a-z0-9]+$/);
  return runName;
}

test('the Agents tab of payments-api dispatches the scripted demo on its repository and shows the run', async ({
  page,
}) => {
  await openAgentsTab(page);
  const composer = page.getByRole('form', { name: 'Dispatch a stack' });
  await expect(composer.getByLabel('Repository')).toHaveValue(
    'acme/payments-api',
  );
  await expect(composer.getByLabel('Repository')).toBeDisabled();
  await expect(
    page.getByRole('list', { name: 'Stacks of acme' }),
  ).toContainText('scripted-demo');
  await shot(page, 'entity-agents-tab');

  const runName = await dispatchScriptedDemo(
    page,
    'Fix the rounding bug in toCents',
  );
  const runs = page.getByRole('table', { name: 'Agent runs' });
  const row = runs.getByRole('row').filter({
    has: page.getByRole('link', { name: runName }),
  });
  await expect(row).toContainText('acme/payments-api');
  // The script stops at its `npm test`, held for approval.
  await expect(row.getByLabel('Phase Waiting')).toBeVisible();
  await shot(page, 'entity-agents-dispatched');

  await row.getByRole('link', { name: runName }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/runs/${runName}$`));
  await expect(page.getByText('Approval blocked: the run waits')).toBeVisible();
  const crumbs = page.getByLabel('Run breadcrumbs');
  await expect(
    crumbs.getByRole('link', { name: 'acme/payments-api' }),
  ).toBeVisible();
  // The server answers which run actions apply: a waiting run can only be cancelled.
  const runActions = page.getByRole('group', { name: 'Run actions' });
  await expect(
    runActions.getByRole('button', { name: 'Cancel' }),
  ).toBeEnabled();
  await expect(
    runActions.getByRole('button', { name: 'Retry' }),
  ).toBeDisabled();
  await shot(page, 'entity-run-detail');

  await page.getByRole('tab', { name: 'Workspaces' }).click();
  await expect(page).toHaveURL(/\/agents\/workspaces$/);
  await expect(
    page.getByRole('heading', { name: 'Workspaces', exact: true }),
  ).toBeVisible();
  await shot(page, 'workspaces-inventory');
});

test("payments-api's workspace takes notes and a pin, and then the server refuses a cleanup", async ({
  page,
}) => {
  await openAgentsTab(page);
  // acme/payments-api maps to the sample repository (app-config.yaml agents.repositories), so a
  // run on it gets a workspace of its own.
  const runName = await dispatchScriptedDemo(page, 'Add a test for toCents');
  const workspaces = page.getByRole('table', { name: 'Agent workspaces' });
  const row = workspaces
    .getByRole('row')
    .filter({ hasText: `dispatch-run ${runName}` });
  await expect(row).toBeVisible();
  const link = row.getByRole('link').first();
  const name = (await link.textContent())!.trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/agents/workspaces/acme/${name}$`));
  await expect(
    page.getByRole('heading', { name: `Workspace ${name}` }),
  ).toBeVisible();
  await expect(
    page
      .getByLabel('Workspace breadcrumbs')
      .getByRole('link', { name: 'acme/payments-api' }),
  ).toHaveAttribute(
    'href',
    '/agents/workspaces?namespace=acme&repository=acme%2Fpayments-api',
  );

  await page.getByLabel('Notes').fill('Reviewed from the browser test');
  await page.getByRole('button', { name: 'Save notes' }).click();
  await expect(page.getByText('Notes saved.')).toBeVisible();

  const actions = page.getByRole('group', { name: 'Workspace actions' });
  await actions.getByRole('button', { name: 'Pin' }).click();
  await expect(actions.getByRole('button', { name: 'Unpin' })).toBeVisible();
  await expect(page.getByLabel('Last action')).toContainText('pin by');
  await expect(page.getByLabel('Notes')).toHaveValue(
    'Reviewed from the browser test',
  );
  await shot(page, 'workspace-detail-pinned');

  // The server refuses a cleanup of this workspace (pinned, and its run still waits in it) and
  // says why before anyone clicks.
  const cleanup = actions.getByRole('button', { name: 'Clean up' });
  await expect(cleanup).toBeDisabled();
  await cleanup.locator('..').hover();
  // Another button's tooltip may still be fading out: look for this one by its text.
  await expect(page.getByRole('tooltip', { name: /^cleanup: / })).toBeVisible();
  await shot(page, 'workspace-cleanup-refused');
});
