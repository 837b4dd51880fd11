import { expect, test } from '@playwright/test';
import { openAgents } from './portal';

const PATCHED_LINE = '+exports.toCents = amount => Math.round(amount * 100);';

test('dispatches the scripted demo, watches it live, approves its write-back and sees the patch', async ({
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

  // The script stops at its write-back approval, so whatever shows now arrived while it ran.
  await expect(transcript).toContainText(
    "I'll reproduce the rounding problem first.",
  );
  await expect(transcript).toContainText('Approval requested: write-back');
  await expect(
    page.getByLabel('Transcript connection: connected'),
  ).toBeVisible();
  await expect(page.getByText('Approval blocked: the run waits')).toBeVisible();
  await expect(page.getByLabel('Phase Succeeded')).toHaveCount(0);

  await transcript.getByRole('button', { name: 'Tool call Bash' }).click();
  await expect(transcript.getByLabel('shell output')).toContainText(
    'Math.floor(amount * 100)',
  );
  await page.screenshot({ path: 'test-results/screenshots/run-live.png' });

  await page.getByRole('tab', { name: 'Approvals' }).click();
  await expect(page).toHaveURL(/\/agents\/approvals$/);
  const pending = page
    .getByRole('list', { name: 'Pending approvals' })
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(pending).toContainText('pull request on acme/payments-api');
  await expect(pending).toContainText('AgentToolProfile/sandbox');
  await pending.getByLabel(/Reason for/).fill('The rounding fix looks right');
  await page.screenshot({
    path: 'test-results/screenshots/approvals-inbox.png',
  });
  await pending.getByRole('button', { name: 'Approve' }).click();

  const decided = page
    .getByRole('list', { name: 'Decided approvals' })
    .getByRole('article')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(decided.getByLabel('State approved')).toBeVisible();
  await expect(decided).toContainText('The rounding fix looks right');
  await page.screenshot({
    path: 'test-results/screenshots/approvals-decided.png',
  });

  await decided.getByRole('link', { name: runName }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/runs/${runName}$`));
  await expect(page.getByLabel('Phase Succeeded').first()).toBeVisible();
  await expect(
    page.getByLabel('Transcript connection: complete'),
  ).toBeVisible();
  await expect(page.getByRole('log', { name: 'Run transcript' })).toContainText(
    'The fix is approved for write-back',
  );
  const patch = page.getByRole('region', { name: 'rounding-fix.patch' });
  await expect(patch).toContainText('src/rounding.js');
  await expect(patch).toContainText(PATCHED_LINE);
  await patch.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/run-succeeded.png' });
});
