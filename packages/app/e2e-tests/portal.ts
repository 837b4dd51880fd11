import { APIRequestContext, expect, Page } from '@playwright/test';

/** The backend the portal's start command brings up. */
export const BACKEND = 'http://localhost:7007';

/** A guest's Backstage token, the way the app gets one. */
export async function guestToken(request: APIRequestContext) {
  const response = await request.get(
    `${BACKEND}/api/auth/guest/refresh?optional&env=development`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  expect(response.ok()).toBe(true);
  return (await response.json()).backstageIdentity.token as string;
}

/** Signs in as the guest and opens the Agents section from the sidebar. */
export async function openAgents(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Agents', exact: true })
    .click();
}

/**
 * Resolves once the page subscribes to the agents change signals. Signals are not replayed, so
 * a test changes things only after this.
 */
export function listeningToChanges(page: Page): Promise<void> {
  return new Promise(resolve =>
    page.on('websocket', socket =>
      socket.on('framesent', frame => {
        if (String(frame.payload).includes('"channel":"agents:changes"')) {
          resolve();
        }
      }),
    ),
  );
}

/** The warnings the Agents pages once logged: a layout loop and unstable material-table input. */
const UNSTABLE_RENDERING =
  /Too many re-renders|requires all rows to have an unique id|columns provided to material table are static/;

/** Collects the page's console warnings and errors about unstable rendering, from now on. */
export function unstableRenderingWarnings(page: Page): string[] {
  const found: string[] = [];
  page.on('console', message => {
    if (UNSTABLE_RENDERING.test(message.text())) found.push(message.text());
  });
  return found;
}
