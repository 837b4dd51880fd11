import { expect, test } from '@playwright/test';
// The MCP server double is a test utility of the backend package, deliberately not exported.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { startMcpServerDouble } from '@krate/plugin-agents-backend/src/__testUtils__/mcp';
import { openAgents } from './portal';

/**
 * The demo's github MCP server points at a host that does not exist. Pointed at an MCP server on
 * this machine that answers only with the demo's granted token, the backend probes it with the
 * official SDK client and the page shows the tools it offers.
 */
test('an MCP server pointed at a reachable endpoint is probed with its granted token and shows its tools', async ({
  page,
}) => {
  const server = await startMcpServerDouble({
    token: 'krate-demo-fake-github-mcp-token',
    tools: [
      { name: 'get_issue', description: 'Reads one issue' },
      { name: 'search_code', description: 'Searches the code' },
      { name: 'delete_repository', description: 'Deletes a repository' },
    ],
  });
  try {
    await openAgents(page);
    await page.getByRole('tab', { name: 'MCP' }).click();
    await expect(page).toHaveURL(/\/agents\/mcp/);
    await page.getByRole('link', { name: 'github', exact: true }).click();
    await expect(page).toHaveURL(/\/agents\/mcp\/acme\/github$/);

    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('spec.url').fill(server.url);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(page.getByLabel('apply result')).toContainText(
      'AgentMcpServer acme/github: configured',
    );
    await page.keyboard.press('Escape');

    // A changed server is probed at once.
    await expect(page.getByLabel('Health Healthy').first()).toBeVisible();
    const tools = page.getByRole('table', { name: 'Discovered tools' });
    await expect(tools).toContainText('get_issue');
    await expect(tools).toContainText('search_code');
    await expect(
      tools.getByRole('row').filter({ hasText: 'delete_repository' }),
    ).toContainText('not in allowedTools');
    await page.screenshot({
      path: 'test-results/screenshots/mcp-server-probed.png',
      fullPage: true,
    });
    // Every request the server saw carried the token.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every(request => request.authorized)).toBe(true);
  } finally {
    await server.stop();
  }
});
