import { APIRequestContext, expect, Page } from '@playwright/test';
import { createHmac, randomUUID } from 'node:crypto';

/** The backend the portal's start command brings up. */
export const BACKEND = 'http://localhost:7007';

/** The embedded portal's demo webhook secret (app-config.yaml). */
const WEBHOOK_SECRET = 'krate-embedded-demo-webhook-secret';

/**
 * Delivers a GitHub `issues` event to the portal's github endpoint, signed as GitHub signs it;
 * answers the recorded WebhookDelivery's name.
 */
export async function deliverIssueEvent(
  request: APIRequestContext,
  event: object,
): Promise<string> {
  const body = JSON.stringify(event);
  const delivered = await request.post(
    `${BACKEND}/api/agents/webhooks/github`,
    {
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET)
          .update(body)
          .digest('hex')}`,
      },
      data: body,
    },
  );
  expect(delivered.status()).toBe(202);
  return (await delivered.json()).metadata.name as string;
}

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
