import { expect, Page, test } from '@playwright/test';

const BACKEND = 'http://localhost:7007';

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/screenshots/${name}.png`,
    fullPage: true,
  });

/**
 * React's development build reports deprecations and markup warnings as console errors. Those of
 * Backstage's own pages and their libraries (findDOMNode in Material UI 4, defaultProps in
 * material-table and react-beautiful-dnd, the catalog's filter list without keys) are not ours to
 * fix; a warning whose component stack passes through the Agents plugin still counts.
 */
function isThirdPartyReactWarning(text: string) {
  return (
    text.startsWith('Warning: ') &&
    !/plugins\/agents\/|@krate\/plugin-agents/.test(text)
  );
}

/**
 * Everything that goes wrong in the page while a test looks at it: uncaught errors, console
 * errors, backend answers of 400 and above, and requests that leave this machine (the embedded
 * demo runs offline).
 */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  const where = () => new URL(page.url()).pathname;
  page.on('pageerror', error =>
    problems.push(`uncaught error on ${where()}: ${error.message}`),
  );
  page.on('console', message => {
    if (
      message.type() !== 'error' ||
      isThirdPartyReactWarning(message.text())
    ) {
      return;
    }
    const source = message.location().url;
    problems.push(
      `console error on ${where()}: ${message.text()}${
        source ? ` (${source})` : ''
      }`,
    );
  });
  page.on('response', response => {
    if (response.url().startsWith(BACKEND) && response.status() >= 400) {
      problems.push(
        `${response.status()} on ${where()}: ${response
          .request()
          .method()} ${response.url()}`,
      );
    }
  });
  page.on('request', request => {
    const { protocol, hostname } = new URL(request.url());
    if (
      (protocol === 'http:' || protocol === 'https:') &&
      hostname !== 'localhost' &&
      hostname !== '127.0.0.1'
    ) {
      problems.push(`request off this machine on ${where()}: ${request.url()}`);
    }
  });
  return problems;
}

/** Waits until the page has loaded what it asks for, and checks no error overlay covers it. */
async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  // The development server shows uncaught errors, such as a failed fetch, in a full-screen frame.
  await expect(page.locator('#webpack-dev-server-client-overlay')).toHaveCount(
    0,
  );
}

test('a new user finds the Home page, the catalog, settings, search and an unknown Agents address without errors', async ({
  page,
}) => {
  const problems = watchProblems(page);

  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();

  // The landing page is Home, with its widgets and none that calls the internet.
  await expect(page).toHaveURL(/\/$/);
  await expect(
    page.getByText('Getting Started', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText('Toolkit', { exact: true })).toBeVisible();
  await expect(page.getByText('Random Joke')).toHaveCount(0);
  await settle(page);
  await shot(page, 'offline-home');

  await page.goto('/catalog');
  await expect(page.getByRole('menuitem', { name: /^All/ })).toBeVisible();
  await page.getByRole('menuitem', { name: /^All/ }).click();
  await expect(
    page.getByRole('link', { name: 'payments-api', exact: true }),
  ).toBeVisible();
  await settle(page);
  await shot(page, 'offline-catalog');

  // Settings shows the guest's catalog user.
  const guestEntity = page.waitForResponse(response =>
    response.url().includes('/api/catalog/entities/by-name/user/'),
  );
  await page.goto('/settings');
  const guest = await guestEntity;
  expect(guest.url()).toContain('/user/default/guest');
  expect(guest.status()).toBe(200);
  await expect(page.getByText('guest', { exact: true }).first()).toBeVisible();
  await settle(page);
  await shot(page, 'offline-settings');

  // The search page counts results per type, each with a query of its own.
  const counts = page.waitForResponse(
    response =>
      response.url().includes('/api/search/query') &&
      response.url().includes('types'),
  );
  await page.goto('/search?query=payments');
  expect((await counts).status()).toBe(200);
  await expect(
    page.getByRole('link', { name: /payments-api/ }).first(),
  ).toBeVisible();
  await settle(page);
  await shot(page, 'offline-search');

  // An address under Agents that names no page says so instead of rendering nothing.
  await page.goto('/agents/no-such-page');
  // Soft: the test goes on to report the errors it saw even when this text is missing.
  await expect.soft(page.getByText(/not found/i).first()).toBeVisible();
  await expect(page.locator('body')).not.toHaveText(/^\s*$/);
  await settle(page);
  await shot(page, 'offline-agents-not-found');

  expect(problems).toEqual([]);
});
