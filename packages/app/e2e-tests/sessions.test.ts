import { expect, test } from '@playwright/test';
import { BACKEND, guestToken, openAgents } from './portal';

test('a demo run opens a session: listed, opened with its attempt and transcript, and continued into a second attempt', async ({
  page,
  request,
}) => {
  await openAgents(page);
  const token = await guestToken(request);
  // The memory demo finishes on its own: no approval holds it.
  const dispatched = await request.post(`${BACKEND}/api/agents/runs`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      namespace: 'acme',
      stack: 'memory-scribe',
      prompt: 'Note what the ledger retries',
    },
  });
  expect(dispatched.status()).toBe(201);
  const runName = (await dispatched.json()).metadata.name as string;

  await page.getByRole('tab', { name: 'Sessions' }).click();
  await expect(page).toHaveURL(/\/agents\/sessions$/);
  const row = page
    .getByRole('table', { name: 'Agent sessions' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: runName }) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('memory-scribe');
  await expect(row).toContainText('scripted');
  await page.screenshot({ path: 'test-results/screenshots/sessions-list.png' });

  // The session link is the first in the row (the runtime session id).
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(
    new RegExp(`/agents/sessions/acme/${runName}-1-session$`),
  );
  const attempts = page.getByRole('list', { name: 'Session attempts' });
  await expect(
    attempts.getByRole('listitem', { name: `Attempt ${runName}-1` }),
  ).toBeVisible();
  await expect(
    attempts
      .getByRole('listitem', { name: `Attempt ${runName}-1` })
      .getByLabel('Phase Succeeded'),
  ).toBeVisible();
  const transcript = page.getByRole('log', { name: 'Run transcript' });
  await expect(transcript).toContainText(
    "I'll read what the memory says about the ledger's retries",
  );
  await expect(page.getByLabel('Session state idle')).toBeVisible();

  const continueButton = page.getByRole('button', { name: 'Continue' });
  await expect(continueButton).toBeEnabled();
  await continueButton.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(
    `POST /api/agents/runs/${runName}/continue?namespace=acme`,
  );
  await dialog
    .getByLabel('Follow-up prompt')
    .fill('Also note who owns the ledger');
  await dialog.getByRole('button', { name: 'Continue run' }).click();
  await expect(dialog).toHaveCount(0);

  // The continue is a second attempt in the same runtime session.
  const second = attempts.getByRole('listitem', {
    name: `Attempt ${runName}-2`,
  });
  await expect(second).toBeVisible();
  await expect(second).toContainText(
    'Follow-up: Also note who owns the ledger',
  );
  await expect(second.getByLabel('Phase Succeeded')).toBeVisible();
  await expect(transcript).toContainText('Also note who owns the ledger');
  await second.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/session-continued.png',
  });

  // The overview lists it among the recent sessions, beside the trigger health.
  await page.getByRole('tab', { name: 'Overview' }).click();
  const recent = page.getByRole('list', { name: 'Recent sessions' });
  await expect(
    recent.getByRole('link', { name: 'memory-scribe', exact: true }).first(),
  ).toHaveAttribute('href', `/agents/sessions/acme/${runName}-1-session`);
  await expect(page.getByText('Trigger health')).toBeVisible();
  await expect(page.getByText('Next scheduled firing')).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/overview-sessions.png',
    fullPage: true,
  });
  await page.goBack();

  // The run page links back to the session.
  await second.getByRole('link', { name: runName }).click();
  await expect(page).toHaveURL(new RegExp(`/agents/runs/${runName}`));
  await expect(
    page.getByRole('link', { name: 'Session page' }),
  ).toHaveAttribute('href', `/agents/sessions/acme/${runName}-2-session`);
});

test('a run dispatched to continue a session shows on the session page beside the run that began it', async ({
  page,
  request,
}) => {
  await openAgents(page);
  const headers = { authorization: `Bearer ${await guestToken(request)}` };
  const dispatch = async (data: object) => {
    const response = await request.post(`${BACKEND}/api/agents/runs`, {
      headers,
      data: { namespace: 'acme', stack: 'memory-scribe', ...data },
    });
    expect(response.status()).toBe(201);
    return (await response.json()).metadata.name as string;
  };
  const succeeded = (run: string) =>
    expect
      .poll(
        async () =>
          (
            await (
              await request.get(`${BACKEND}/api/agents/runs/${run}`, {
                headers,
              })
            ).json()
          ).status?.phase,
        { timeout: 30_000 },
      )
      .toBe('Succeeded');
  const first = await dispatch({ prompt: 'Note what the ledger retries' });
  await succeeded(first);
  const second = await dispatch({
    prompt: 'Days later: also note who owns the ledger',
    session: `${first}-1-session`,
  });
  // Both have ended before the page opens: it shows what is stored, not how it updates.
  await succeeded(second);

  await page.goto(`/agents/sessions/acme/${first}-1-session`);
  const attempts = page.getByRole('list', { name: 'Session attempts' });
  await expect(
    attempts.getByRole('listitem', { name: `Attempt ${first}-1` }),
  ).toBeVisible();
  const continued = attempts.getByRole('listitem', {
    name: `Attempt ${second}-1`,
  });
  await expect(continued).toContainText(
    'Follow-up: Days later: also note who owns the ledger',
  );
  await expect(continued.getByLabel('Phase Succeeded')).toBeVisible();
  await continued.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/session-across-runs.png',
  });

  // The second run's page names the session it continues.
  await continued.getByRole('link', { name: second }).click();
  await expect(page.getByLabel('Continued session')).toHaveAttribute(
    'href',
    `/agents/sessions/acme/${first}-1-session`,
  );
});
