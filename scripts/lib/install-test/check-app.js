#!/usr/bin/env node
// Checks a running fresh app from the outside, as a user would.
//
//   check-app.js health <base url>              GET /api/agents/health answers ok
//   check-app.js run <base url>                 as the guest: apply a scripted stack, dispatch
//                                               one run, wait for it to succeed
//   check-app.js scaffolder-actions <base url>  the scaffolder lists the agents actions
//   check-app.js page <base url> <screenshot>   in Chromium: sign in as guest, open Agents from
//                                               the sidebar, see the Agents page
const path = require('node:path');

const [check, baseUrl, screenshot] = process.argv.slice(2);
const NAMESPACE = 'install-test';
const STACK = 'install-test-scripted';

async function call(method, route, { token, body } = {}) {
  const response = await fetch(new URL(route, baseUrl), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      // The auth backend answers a refresh only to what looks like the app's own fetch.
      'x-requested-with': 'XMLHttpRequest',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(
      `${method} ${route}: ${response.status} ${text.slice(0, 500)}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const result = await probe();
    if (result) return result;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${seconds} s`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function health() {
  const body = await call('GET', '/api/agents/health');
  if (body.status !== 'ok') throw new Error(`health: ${JSON.stringify(body)}`);
  console.log(`/api/agents/health: ${JSON.stringify(body)}`);
}

async function run() {
  const refresh = await call('GET', '/api/auth/guest/refresh?env=development');
  const token = refresh.backstageIdentity.token;
  await call('POST', '/api/agents/apply', {
    token,
    body: {
      apiVersion: 'agents.krate.dev/v1alpha1',
      kind: 'AgentStack',
      metadata: { name: STACK, namespace: NAMESPACE },
      spec: {
        description: 'The install test: one scripted run in a fresh app.',
        runtime: 'scripted',
        approvalMode: 'never',
        script: { steps: [{ say: 'Installed into a fresh app.' }] },
      },
    },
  });
  // A run of a stack the controller has not found Ready yet is refused.
  await until(`stack ${STACK} Ready`, 60, async () => {
    const stack = await call(
      'GET',
      `/api/agents/apis/agents.krate.dev/v1alpha1/namespaces/${NAMESPACE}/agentstacks/${STACK}`,
      { token },
    );
    return stack.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    );
  });
  const dispatched = await call('POST', '/api/agents/runs', {
    token,
    body: {
      namespace: NAMESPACE,
      stack: STACK,
      prompt: 'Say hello from the fresh app.',
    },
  });
  const name = dispatched.metadata.name;
  const finished = await until(`run ${name} finished`, 120, async () => {
    const current = await call('GET', `/api/agents/runs/${name}`, { token });
    return (
      ['Succeeded', 'Failed', 'Cancelled'].includes(current.status?.phase) &&
      current
    );
  });
  if (finished.status.phase !== 'Succeeded') {
    throw new Error(`run ${name} ended ${JSON.stringify(finished.status)}`);
  }
  console.log(`run ${name} of ${STACK} (scripted): Succeeded`);
}

async function scaffolderActions() {
  const refresh = await call('GET', '/api/auth/guest/refresh?env=development');
  const token = refresh.backstageIdentity.token;
  const actions = await call('GET', '/api/scaffolder/v2/actions', { token });
  const ids = actions.map(action => action.id);
  const missing = ['agents:apply', 'agents:dispatch'].filter(
    id => !ids.includes(id),
  );
  if (missing.length > 0) {
    throw new Error(`the scaffolder lacks ${missing.join(', ')}`);
  }
  console.log('the scaffolder lists agents:apply and agents:dispatch');
}

async function page() {
  const { chromium } = require(path.resolve(
    __dirname,
    '../../../node_modules/playwright-core',
  ));
  const browser = await chromium.launch({
    executablePath: process.env.KRATE_CHROMIUM ?? '/usr/bin/chromium',
    // As playwright.config.ts: without the networking flags Chromium floods a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const tab = await browser.newPage({
      viewport: { width: 1400, height: 900 },
    });
    tab.setDefaultTimeout(60_000);
    await tab.goto(baseUrl);
    const enter = tab.getByRole('button', { name: 'Enter' });
    const nav = tab.getByRole('navigation', { name: 'sidebar nav' });
    await enter.or(nav).first().waitFor();
    if (await enter.isVisible()) await enter.click();
    await nav.getByRole('link', { name: 'Agents', exact: true }).click();
    await tab.waitForURL(/\/agents$/);
    await tab.getByRole('heading', { name: 'Agents', exact: true }).waitFor();
    await tab.getByText('Agents backend').waitFor();
    await tab.screenshot({ path: screenshot, fullPage: true });
    console.log(`${baseUrl}/agents: the Agents page (${screenshot})`);
  } catch (error) {
    await browser
      .contexts()[0]
      ?.pages()[0]
      ?.screenshot({
        path: screenshot.replace(/\.png$/, '-failed.png'),
        fullPage: true,
      })
      .catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

const checks = { health, run, 'scaffolder-actions': scaffolderActions, page };
if (!checks[check]) {
  console.error(`unknown check ${check}`);
  process.exit(2);
}
checks[check]().catch(error => {
  console.error(error.message);
  process.exit(1);
});
