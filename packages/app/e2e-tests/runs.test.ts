import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

const PATCHED_LINE = '+exports.toCents = amount => Math.round(amount * 100);';

test('dispatches the scripted demo, watches it live, approves its test run, and writes its patch back to a branch', async ({
  page,
}) => {
  await openAgents(page);

  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page).toHaveURL(/\/agents\/runs$/);
  await expect(
    page.getByRole('heading', { name: 'Runs', exact: true }),
  ).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/runs-list.png' });

  // On an empty portal the empty state offers the button too.
  await page.getByRole('button', { name: 'New run' }).first().click();
  await expect(page).toHaveURL(/\/agents\/runs\/new/);
  const stacks = page.getByRole('radiogroup', { name: 'Stack' });
  await expect(
    stacks.getByRole('radio', { name: /payments-reviewer/ }),
  ).toBeDisabled();
  await stacks.getByRole('radio', { name: /scripted-demo/ }).check();
  await page.getByLabel('Prompt').fill('Fix the rounding bug in toCents');
  // On its repository, the run gets a workspace whose diff can be written back.
  await page.getByLabel('Repository').fill('acme/payments-api');
  await expect(page.getByLabel('Request body')).toContainText(
    '"stack": "scripted-demo"',
  );
  // The context bundle the backend would assemble, before anything is dispatched.
  await page.getByRole('button', { name: 'Preview context' }).click();
  await expect(
    page.getByLabel(
      'Context part context-label from AgentContextLabel/acme-conventions',
    ),
  ).toBeVisible();
  await expect(page.getByLabel('Context part prompt from user')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/run-composer.png' });
  await page.getByRole('button', { name: 'Dispatch' }).click();

  await expect(page).toHaveURL(/\/agents\/runs\/scripted-demo-[a-z0-9]+$/);
  const runName = page.url().split('/').pop()!;
  const transcript = page.getByRole('log', { name: 'Run transcript' });

  // The script stops at its `npm test`, which the sandbox holds for a human, so whatever shows
  // now arrived while it ran.
  await expect(transcript).toContainText(
    "I'll reproduce the rounding problem first.",
  );
  await expect(transcript).toContainText('Approval requested: shell');
  await expect(
    page.getByLabel('Transcript connection: connected'),
  ).toBeVisible();
  await expect(page.getByText('Approval blocked: the run waits')).toBeVisible();
  await expect(page.getByLabel('Phase Succeeded')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/run-live.png' });

  await page.getByRole('tab', { name: 'Approvals' }).click();
  await expect(page).toHaveURL(/\/agents\/approvals$/);
  const pending = page
    .getByRole('list', { name: 'Pending approvals' })
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(pending).toContainText('npm test');
  await expect(pending).toContainText('AgentToolProfile/sandbox');
  await pending.getByLabel(/Reason for/).fill('Run the tests');
  await page.screenshot({
    path: 'test-results/screenshots/approvals-inbox.png',
  });
  await pending.getByRole('button', { name: 'Approve' }).click();

  const decided = page
    .getByRole('list', { name: 'Decided approvals' })
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(decided.getByLabel('State approved')).toBeVisible();
  await expect(decided).toContainText('Run the tests');

  await decided.getByRole('link', { name: runName }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/runs/${runName}$`));
  await expect(page.getByLabel('Phase Succeeded').first()).toBeVisible();
  await expect(
    page.getByLabel('Transcript connection: complete'),
  ).toBeVisible();
  await expect(page.getByRole('log', { name: 'Run transcript' })).toContainText(
    'The tests pass.',
  );

  // The workspace diff is the run's artifact, ready for write-back.
  const artifact = page.getByRole('group', {
    name: 'Artifact rounding-fix.patch',
  });
  await expect(artifact.getByLabel('Artifact state ready')).toBeVisible();
  await artifact.getByRole('button', { name: 'Show diff' }).click();
  await expect(artifact).toContainText('src/rounding.js');
  await expect(artifact).toContainText(PATCHED_LINE);
  await artifact.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/run-succeeded.png' });

  // Push it to a branch of the demo repository's remote, through an approval.
  const requestButton = artifact.getByRole('button', {
    name: 'Request write-back',
  });
  await expect(requestButton).toBeEnabled();
  await requestButton.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: /GitHub/ })).toBeDisabled();
  await dialog.getByRole('radio', { name: /Git branch/ }).check();
  await expect(dialog.getByRole('textbox', { name: 'Branch' })).toHaveValue(
    `agents/${runName}`,
  );
  await page.screenshot({
    path: 'test-results/screenshots/write-back-request.png',
  });
  await dialog.getByRole('button', { name: 'Request write-back' }).click();
  await expect(dialog).toHaveCount(0);
  const writeBack = artifact.getByRole('listitem', { name: /Write-back git/ });
  await expect(writeBack).toContainText('Waits on approval');

  await page.getByRole('tab', { name: 'Approvals' }).click();
  const writeBackApproval = page
    .getByRole('list', { name: 'Pending approvals' })
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(writeBackApproval).toContainText('write-back');
  await expect(writeBackApproval).toContainText(PATCHED_LINE);
  await page.screenshot({
    path: 'test-results/screenshots/write-back-approval.png',
  });
  await writeBackApproval.getByRole('button', { name: 'Approve' }).click();
  await expect(
    page
      .getByRole('list', { name: 'Decided approvals' })
      .getByRole('article')
      .filter({ hasText: 'write-back' })
      .first()
      .getByLabel('State approved'),
  ).toBeVisible();

  await page.goto(`/agents/runs/${runName}`);
  const applied = page.getByRole('group', {
    name: 'Artifact rounding-fix.patch',
  });
  await expect(applied.getByLabel('Artifact state applied')).toBeVisible();
  const results = applied.getByRole('list', { name: 'Results' });
  await expect(results).toContainText(`Pushed branch agents/${runName}`);
  await expect(results).toContainText('payments-api.git');
  await expect(results).toContainText(/at [0-9a-f]{40}/);
  await applied.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/write-back-applied.png',
  });
});
