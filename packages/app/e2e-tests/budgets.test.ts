import { expect, test } from '@playwright/test';
import { BACKEND, guestToken, openAgents } from './portal';

const BUDGET = 'e2e-scripted-demo-weekly';

test('a budget on a demo stack shows on the stack page and in the composer with the estimate', async ({
  page,
  request,
}) => {
  await openAgents(page);
  const token = await guestToken(request);
  const applied = await request.post(`${BACKEND}/api/agents/apply`, {
    headers: { authorization: `Bearer ${token}` },
    data: {
      kind: 'List',
      items: [
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentBudget',
          metadata: { name: BUDGET, namespace: 'acme' },
          spec: {
            scope: { stack: 'scripted-demo' },
            window: '7d',
            limits: { usd: 50, tokens: 2000000 },
            onExceed: 'requireApproval',
            hardCap: true,
          },
        },
      ],
    },
  });
  expect(applied.ok()).toBe(true);
  // Apply answers 200 with a per-object result; an invalid budget says why here.
  expect((await applied.json()).items[0]).toMatchObject({
    result: expect.stringMatching(/^(created|configured|unchanged)$/),
  });

  await page.goto('/agents/stacks/acme/scripted-demo');
  const budget = page.getByRole('group', { name: `Budget acme/${BUDGET}` });
  await expect(budget).toBeVisible();
  await expect(budget).toContainText('stack scripted-demo · last 7d');
  await expect(budget).toContainText('asks for an approval over it');
  await expect(page.getByLabel('Spent in the last 30 days')).toBeVisible();
  const stackEstimate = page.getByRole('group', { name: 'Cost estimate' });
  await expect(stackEstimate.getByLabel('Estimate')).toContainText(
    'Estimated cost:',
  );
  await budget.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/stack-cost.png',
    fullPage: true,
  });

  await page.goto('/agents/runs/new?namespace=acme&stack=scripted-demo');
  await page.getByLabel(/Prompt/).fill('Fix the rounding bug');
  const estimate = page.getByRole('group', { name: 'Cost estimate' });
  await expect(estimate.getByLabel('Estimate')).toContainText(
    'Estimated cost:',
  );
  await expect(
    estimate.getByRole('list', { name: 'Covering budgets' }),
  ).toContainText(`${BUDGET} (stack scripted-demo, last 7d)`);
  await expect(estimate.getByLabel('Budget verdict')).toBeVisible();
  await estimate.scrollIntoViewIfNeeded();
  await page.screenshot({
    path: 'test-results/screenshots/composer-estimate.png',
  });

  // The Budgets tab lists it with its spend.
  await page.getByRole('tab', { name: 'Budgets' }).click();
  await expect(page).toHaveURL(/\/agents\/budgets/);
  await expect(
    page
      .getByRole('list', { name: 'Budgets' })
      .getByRole('link', { name: `acme/${BUDGET}` }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/screenshots/budgets-list.png',
    fullPage: true,
  });
});
