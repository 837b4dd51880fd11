import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentsPlugin } from '../plugin';
import { agentsModuleAgentMuxRuntime } from '../runtimes/agentMux';
import {
  agentsModuleClaudeCodeRuntime,
  agentsModuleCodexRuntime,
} from '../runtimes/cli';
import { claudeCodePackage } from '../runtimes/cli/claudeCode/claudeCodePackage';
import { defaultCliCacheDir } from '../runtimes/cli/CliInstaller';
import { codexPackage } from '../runtimes/cli/codex/codexPackage';
import { agentsModuleScriptedRuntime } from '../runtimes/scripted';
import { AgentMuxTestGateway } from '../__testUtils__/agentMux';
import {
  databaseRows,
  filesUnder,
  RecordingClient,
  recordingNotifications,
  recordingRootLogger,
} from '../__testUtils__/canary';
import { codexTurns } from '../__testUtils__/canary/codexTurns';
import { grantEchoHarness } from '../__testUtils__/canary/grantEchoHarness';
import { readEverything } from '../__testUtils__/canary/readEverything';
import { runToEnd } from '../__testUtils__/canary/runToEnd';
import { INSTALL_TIMEOUT_MS, testInstaller } from '../__testUtils__/cliTestKit';
import { createTestStore } from '../__testUtils__/createTestStore';
import { dispatchConfig } from '../__testUtils__/dispatchTestKit';
import { commit, git } from '../__testUtils__/gitFixtures';
import { startGitHttpServer } from '../__testUtils__/gitHttpServer';
import {
  stdioDoubleCommand,
  STDIO_DOUBLE_TOKEN_ENV,
} from '../__testUtils__/mcp';
import { FakeAnthropicApi } from '../__testUtils__/modelApis/FakeAnthropicApi';
import { FakeOpenAiResponsesApi } from '../__testUtils__/modelApis/FakeOpenAiResponsesApi';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { until } from '../__testUtils__/until';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const canary = (purpose: string) =>
  `canary-${purpose}-${randomBytes(8).toString('hex')}`;

/** Every secret value the backend is given; none may come out anywhere. */
const CANARY = {
  skillKey: canary('skill-key'),
  mcpToken: canary('mcp-token'),
  webhookSecret: canary('webhook-secret'),
  claudeApiKey: canary('claude-api-key'),
  codexApiKey: canary('codex-api-key'),
  agentMuxToken: canary('agent-mux-token'),
  repositoryToken: canary('repository-token'),
};
/** How git sends the repository token: inside HTTP basic credentials. */
const REPOSITORY_BASIC = Buffer.from(
  `krate:${CANARY.repositoryToken}`,
).toString('base64');
const SECRET_FORMS = [...Object.values(CANARY), REPOSITORY_BASIC];
/** The file the agents deliberately write the granted value into. */
const LEAK_FILE = 'leak.txt';
/** A prompt with a secret value pasted in by the user. */
const PASTED_PROMPT = `Log in with ${CANARY.skillKey} and fix the sandbox`;

/**
 * The CLI session archive (`agents.runtimes.cli.sessionsDir`) keeps the CLI's own transcript for
 * resume, tool output unmasked; it is the CLI's state on the backend's disk, never served, and
 * the file walk leaves it out (docs/secrets.md, "The canary test").
 */
const SESSION_ARCHIVE = 'sessions';

const API = '/api/agents';
const BOB = {
  authorization: mockCredentials.user.header('user:default/bob'),
};

const agentsObject = (kind: string, name: string, spec: object) => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind,
  metadata: { name, namespace: 'acme' },
  spec,
});

const resources = [
  agentsObject('AgentServiceAccount', 'bot', {
    purpose: 'agent',
    serviceAccountName: 'bot',
  }),
  agentsObject('AgentSkill', 'runbook', {
    source: { repository: 'acme/payments-api', path: 'skills/runbook' },
    requiredSecrets: [{ name: 'payments-creds', key: 'api-token' }],
  }),
  agentsObject('AgentMcpServer', 'vault', {
    transport: 'stdio',
    ...stdioDoubleCommand({
      token: CANARY.mcpToken,
      tools: [{ name: 'whoami' }],
    }),
    secretRefs: [
      { name: 'payments-creds', key: 'mcp-token', env: STDIO_DOUBLE_TOKEN_ENV },
    ],
  }),
  agentsObject('AgentSecretGrant', 'payments-creds', {
    secretName: 'payments-creds',
    keys: ['api-token', 'mcp-token'],
    subjects: [
      { kind: 'agent', name: 'bot' },
      { kind: 'skill', name: 'runbook' },
      { kind: 'mcp-server', name: 'vault' },
    ],
    purpose: 'The runbook and the vault server log in to the sandbox',
  }),
  agentsObject('AgentWorkspacePolicy', 'default', {
    provisioning: { mode: 'fresh', root: '.' },
  }),
  agentsObject('AgentToolProfile', 'gated', {
    approvalRequired: ['shell'],
  }),
  agentsObject('AgentStack', 'scripted', {
    runtime: 'scripted',
    runtimeServiceAccountName: 'bot',
    skills: ['runbook'],
    script: {
      steps: [
        { shell: 'echo "granted: $api_token"' },
        { shell: `printf %s "$api_token" > ${LEAK_FILE}` },
        { producePatch: { name: 'Leaky change' } },
      ],
    },
  }),
  agentsObject('AgentStack', 'claude', {
    runtime: 'claude-code',
    model: 'claude-sonnet-4-5',
    runtimeServiceAccountName: 'bot',
    skills: ['runbook'],
    mcpServers: ['vault'],
    toolProfile: 'gated',
    approvers: ['group:default/payments'],
  }),
  agentsObject('AgentStack', 'codex', {
    runtime: 'codex',
    // A model Codex has no metadata for offers MCP tools directly, not behind its tool search.
    model: 'gpt-4.1',
    runtimeServiceAccountName: 'bot',
    skills: ['runbook'],
    mcpServers: ['vault'],
    toolProfile: 'gated',
    approvers: ['group:default/payments'],
  }),
  agentsObject('AgentStack', 'mux', {
    runtime: 'agent-mux',
    runtimeServiceAccountName: 'bot',
    skills: ['runbook'],
  }),
  agentsObject('AgentTriggerRule', 'labelled', {
    lifecycle: 'active',
    source: { events: ['label'], repositories: ['acme/payments-api'] },
    stack: 'scripted',
    promptTemplate: 'Handle issue #{{event.issue.number}}',
  }),
];

const labelled = {
  action: 'labeled',
  label: { name: 'agent:ready' },
  issue: {
    number: 7,
    title: 'Sandbox login fails',
    body: 'Please look.',
    state: 'open',
    html_url: 'https://github.com/acme/payments-api/issues/7',
  },
  repository: { full_name: 'acme/payments-api', private: true },
  sender: { login: 'octocat' },
};

/** The places, among `texts`, that hold one of the secret values. */
function leaksIn(texts: { where: string; text: string }[]): string[] {
  return texts.flatMap(({ where, text }) =>
    SECRET_FORMS.filter(value => text.includes(value)).map(
      value => `${where} holds ${value}`,
    ),
  );
}

describe('the secret canary', () => {
  let dataDir: string;
  let savedTmpDir: string | undefined;
  let fake: FakeAnthropicApi | undefined;
  let codexFake: FakeOpenAiResponsesApi | undefined;
  let gateway: AgentMuxTestGateway | undefined;
  let gitServer: Awaited<ReturnType<typeof startGitHttpServer>> | undefined;

  beforeAll(async () => {
    await testInstaller().install(claudeCodePackage());
    await testInstaller().install(codexPackage());
  }, INSTALL_TIMEOUT_MS);
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'krate-canary-'));
    // The CLI's private attempt folder goes to the OS temp folder: keep it where the walk looks.
    savedTmpDir = process.env.TMPDIR;
    process.env.TMPDIR = path.join(dataDir, 'tmp');
    mkdirSync(process.env.TMPDIR);
  });
  afterEach(async () => {
    if (savedTmpDir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmpDir;
    await fake?.close();
    await codexFake?.close();
    await gateway?.close();
    await gitServer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A private repository served over HTTP that only the repository token opens. */
  async function servePaymentsRepository() {
    const seed = path.join(dataDir, 'seed');
    mkdirSync(seed);
    git(seed, 'init', '-q', '-b', 'main');
    commit(
      seed,
      'skills/runbook/SKILL.md',
      '---\nname: runbook\ndescription: Logs in to the sandbox\n---\nUse $api_token.\n',
    );
    const served = path.join(dataDir, 'served', 'acme', 'payments-api.git');
    mkdirSync(path.dirname(served), { recursive: true });
    git(dataDir, 'clone', '-q', '--bare', seed, served);
    rmSync(seed, { recursive: true, force: true });
    gitServer = await startGitHttpServer({
      projectRoot: path.join(dataDir, 'served'),
      username: 'krate',
      password: CANARY.repositoryToken,
    });
    return `${gitServer.url}/acme/payments-api.git`;
  }

  it('plants secret values everywhere, runs every flow, and finds none of them in anything a user or an operator can read', async () => {
    fake = await FakeAnthropicApi.start([
      {
        toolCalls: [
          {
            id: 'toolu_env',
            name: 'Bash',
            input: { command: 'echo "granted: $api_token"' },
          },
        ],
      },
      {
        toolCalls: [
          { id: 'toolu_vault', name: 'mcp__vault__whoami', input: {} },
        ],
      },
      { text: 'Logged in.' },
    ]);
    codexFake = await FakeOpenAiResponsesApi.start(codexTurns);
    gateway = await AgentMuxTestGateway.start({
      token: CANARY.agentMuxToken,
      harness: grantEchoHarness,
    });
    const repositoryUrl = await servePaymentsRepository();
    const logs = recordingRootLogger();
    const notifications = recordingNotifications();
    const { db } = await createTestStore(databases, 'SQLITE_3');
    const backend = await startTestBackend({
      features: [
        agentsPlugin,
        agentsModuleScriptedRuntime,
        agentsModuleClaudeCodeRuntime,
        agentsModuleCodexRuntime,
        agentsModuleAgentMuxRuntime,
        logs.factory,
        notifications.factory,
        mockServices.database.factory({ knex: db.knex }),
        mockServices.rootConfig.factory({
          data: {
            agents: dispatchConfig(dataDir, {
              repositoryCache: { directory: path.join(dataDir, 'cache') },
              repositories: [
                {
                  name: 'acme/payments-api',
                  url: repositoryUrl,
                  token: CANARY.repositoryToken,
                  username: 'krate',
                },
              ],
              secrets: {
                acme: {
                  secrets: {
                    'payments-creds': {
                      'api-token': CANARY.skillKey,
                      'mcp-token': CANARY.mcpToken,
                    },
                  },
                  configMaps: {
                    'payments-config': {
                      'sandbox-url': 'https://sandbox.acquirer.example',
                    },
                  },
                },
              },
              webhooks: [{ name: 'github', secret: CANARY.webhookSecret }],
              runtimes: {
                cli: {
                  cacheDir: defaultCliCacheDir(),
                  sessionsDir: path.join(dataDir, SESSION_ARCHIVE),
                },
                claudeCode: {
                  enabled: true,
                  baseUrl: fake.url,
                  apiKey: CANARY.claudeApiKey,
                },
                codex: {
                  enabled: true,
                  baseUrl: `${codexFake.url}/v1`,
                  apiKey: CANARY.codexApiKey,
                },
                agentMux: { url: gateway.url, token: CANARY.agentMuxToken },
              },
            }),
          },
        }),
      ],
    });
    const api = new RecordingClient(backend.server);

    for (const resource of resources) {
      const applied = await api.post(`${API}/apply`, resource);
      expect([applied.status, applied.body.error?.message]).toEqual([
        200,
        undefined,
      ]);
    }

    // The MCP probe starts the stdio server, which only starts with the granted token.
    const probed = await api.post(
      `${API}/mcp-servers/vault/probe?namespace=acme`,
    );
    expect(probed.status).toBe(200);
    expect(probed.body.status).toMatchObject({
      health: 'Healthy',
      discoveredTools: [{ name: 'whoami' }],
    });

    // A scripted run: the user pastes the value into the prompt, the agent echoes the granted
    // variable and writes it into its workspace.
    const pasted = await api.post(`${API}/runs`, {
      namespace: 'acme',
      stack: 'scripted',
      prompt: PASTED_PROMPT,
      repository: 'acme/payments-api',
    });
    expect(pasted.status).toBe(201);
    const scriptedRun = pasted.body.metadata.name;
    await until(
      async () => (await api.get(`${API}/runs/${scriptedRun}`)).body,
      run => run.status?.phase === 'Succeeded',
      30_000,
    );

    // A webhook delivery signed with the webhook secret dispatches through the rule; a forged
    // one is refused.
    const body = JSON.stringify(labelled);
    const delivery = (secret: string) =>
      api.post(`${API}/webhooks/github`, body, {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret)
          .update(body)
          .digest('hex')}`,
      });
    expect((await delivery(`not-${CANARY.webhookSecret}`)).status).toBe(401);
    const delivered = await delivery(CANARY.webhookSecret);
    expect(delivered.status).toBe(202);
    expect(delivered.body.spec.signatureVerified).toBe(true);
    const webhookRun = await until(
      async () =>
        (
          await api.get(`${API}/runs?namespace=acme`)
        ).body.items.find(
          (run: any) =>
            run.metadata.name !== scriptedRun &&
            run.status?.phase === 'Succeeded',
        ),
      run => run !== undefined,
      30_000,
    );

    // Claude Code and Codex: the shell tool echoes the granted variable after a human approves
    // it, then the model calls the vault MCP server, which starts only with its granted token.
    // Agent Mux: the gateway's agent echoes the granted variable it was started with.
    const claude = await runToEnd(api, 'claude', BOB);
    const codex = await runToEnd(api, 'codex', BOB);
    const mux = await runToEnd(api, 'mux');
    expect([claude.phase, codex.phase, mux.phase]).toEqual([
      'Succeeded',
      'Succeeded',
      'Succeeded',
    ]);

    // Everything a user can read.
    const { events, listed } = await readEverything(api, [
      scriptedRun,
      webhookRun.metadata.name,
      claude.name,
      codex.name,
      mux.name,
    ]);

    await backend.stop();

    // ...and nothing kept the values: answers, logs, notifications, rows, files.
    const cliAttemptFolders = readdirSync(path.join(dataDir, 'tmp')).filter(
      name => /^krate-(claude-code|codex)-/.test(name),
    );
    expect(cliAttemptFolders).toEqual([]);
    const leaks = leaksIn([
      ...api.responses.map(r => ({
        where: `${r.method} ${r.url} (${r.status})`,
        text: r.body,
      })),
      ...logs.lines.map((line, i) => ({ where: `log line ${i}`, text: line })),
      ...notifications.sent.map((sent, i) => ({
        where: `notification ${i}`,
        text: JSON.stringify(sent),
      })),
      ...(await databaseRows(db.knex)).map(({ table, rows }) => ({
        where: `table ${table}`,
        text: rows,
      })),
      ...['runs', 'workspaces', 'tmp', 'cache']
        .map(dir => path.join(dataDir, dir))
        .filter(dir => existsSync(dir))
        .flatMap(filesUnder)
        .filter(file => path.basename(file) !== LEAK_FILE)
        .map(file => ({ where: file, text: readFileSync(file, 'latin1') })),
    ]);
    expect(leaks).toEqual([]);

    // The flows really ran, with the values.
    expect(events[scriptedRun]).toContain('granted: [REDACTED]');
    const [scriptedPatch] = listed.AgentReviewArtifact.filter(
      a => a.spec.run === scriptedRun && a.spec.kind === 'patch',
    );
    expect(scriptedPatch.status).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('holds a secret value'),
    });
    const bundle = listed.AgentContextBundle.find(
      b => b.spec.run === scriptedRun,
    );
    expect(JSON.stringify(bundle)).toContain('Log in with [REDACTED]');
    expect(events[claude.name]).toContain('granted: [REDACTED]');
    expect(events[claude.name]).toContain('called whoami');
    expect(events[codex.name]).toContain('granted: [REDACTED]');
    // The vault server starts only with its granted value and answers the call Codex routes to it.
    expect(codexFake!.responseRequests.at(-1)!.body.tools).toContainEqual(
      expect.objectContaining({
        name: 'mcp__vault',
        tools: [expect.objectContaining({ name: 'whoami' })],
      }),
    );
    expect(events[codex.name]).toContain('called whoami');
    // Codex approves MCP tools itself (codexConfig.ts) because Krate's hook decided the call first.
    expect(JSON.parse(events[codex.name]).items).toContainEqual(
      expect.objectContaining({
        type: 'policy_decision',
        target: 'mcp__vault__whoami',
        decision: 'allow',
      }),
    );
    expect(codexFake!.responseRequests[0].headers.authorization).toBe(
      `Bearer ${CANARY.codexApiKey}`,
    );
    expect(events[mux.name]).toContain('granted: [REDACTED]');
    expect(gateway!.runs.map(run => run.options.env)).toEqual([
      { api_token: CANARY.skillKey },
    ]);
    expect(notifications.sent.length).toBeGreaterThan(0);
    expect(gitServer!.authorizations).toContain(`Basic ${REPOSITORY_BASIC}`);
    const workspaceFiles = filesUnder(path.join(dataDir, 'workspaces')).filter(
      file => path.basename(file) === LEAK_FILE,
    );
    expect(workspaceFiles.length).toBeGreaterThan(0);
    for (const file of workspaceFiles) {
      expect(readFileSync(file, 'utf8')).toBe(CANARY.skillKey);
    }
  });
});
