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
  // The guest owns nothing, so the catalog starts on an empty "Owned" list.
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await page.getByRole('link', { name: 'payments-api', exact: true }).click();
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

  await composer.getByRole('radio', { name: /scripted-demo/ }).check();
  await composer.getByLabel('Prompt').fill('Fix the rounding bug in toCents');
  await expect(composer.getByLabel('Request body')).toContainText(
    '"repository": "acme/payments-api"',
  );
  await composer.getByRole('button', { name: 'Dispatch' }).click();

  const notice = page.getByText(/^Dispatched/);
  await expect(notice).toBeVisible();
  const runName = (await notice.getByRole('link').textContent())!.trim();
  expect(runName).toMatch(/^scripted-demo-[a-z0-9]+$/);
  const runs = page.getByRole('table', { name: 'Agent runs' });
  const row = runs.getByRole('row').filter({
    has: page.getByRole('link', { name: runName }),
  });
  await expect(row).toContainText('acme/payments-api');
  // The script stops at its write-back approval.
  await expect(row.getByLabel('Phase Waiting')).toBeVisible();
  await shot(page, 'entity-agents-dispatched');

  await row.getByRole('link', { name: runName }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/runs/${runName}$`));
  await expect(page.getByText('Approval blocked: the run waits')).toBeVisible();
  await shot(page, 'entity-run-detail');

  await page.getByRole('tab', { name: 'Workspaces' }).click();
  await expect(page).toHaveURL(/\/agents\/workspaces$/);
  await expect(
    page.getByRole('heading', { name: 'Workspaces', exact: true }),
  ).toBeVisible();
  await shot(page, 'workspaces-inventory');
});

test("payments-api's workspace takes notes and a pin and refuses a cleanup, or the tab says the repository has no workspace", async ({
  page,
}) => {
  await openAgentsTab(page);
  const workspaces = page.getByRole('table', { name: 'Agent workspaces' });
  const empty = page.getByText('No workspaces on this repository');
  await expect(workspaces.or(empty)).toBeVisible();

  if (await empty.isVisible()) {
    // The backend has no clone of acme/payments-api, so runs on it get no workspace: the
    // inventory must say so instead of listing one.
    await page.getByRole('link', { name: 'All workspaces' }).click();
    await expect(page).toHaveURL(/\/agents\/workspaces$/);
    await expect(
      page
        .getByText('No workspaces yet')
        .or(page.getByRole('table', { name: 'Agent workspaces' })),
    ).toBeVisible();
    await shot(page, 'workspaces-none-for-repository');
    return;
  }

  const link = workspaces.getByRole('row').nth(1).getByRole('link').first();
  const name = (await link.textContent())!.trim();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/agents/workspaces/acme/${name}$`));
  await expect(
    page.getByRole('heading', { name: `Workspace ${name}` }),
  ).toBeVisible();

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

  // Cleanup asks first.
  await actions.getByRole('button', { name: 'Clean up' }).click();
  await expect(page.getByRole('dialog')).toContainText(
    `Clean up AgentWorkspace acme/${name}?`,
  );
  await shot(page, 'workspace-cleanup-confirm');
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Clean up' })
    .click();
  // A pinned workspace is not cleaned up: the server refuses and says why.
  await expect(page.getByRole('dialog')).toContainText(
    /cleanup refused \(409\)/,
  );
  await shot(page, 'workspace-cleanup-refused');
});
