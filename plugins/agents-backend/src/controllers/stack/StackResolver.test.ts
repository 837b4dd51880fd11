import { Condition } from '@krate/plugin-agents-common';
import { AgentRuntime } from '@krate/plugin-agents-node';
import { createTestStore } from '../../__testUtils__/createTestStore';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { digestOf } from '../../resources/digest';
import { ResourceStore } from '../../resources/ResourceStore';
import { RuntimeAvailability } from './RuntimeAvailability';
import { StackResolver } from './StackResolver';
import {
  ALICE,
  object,
  registryOf,
  secretGrant,
  seed,
  serviceAccount,
  testRuntime,
} from './testObjects';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const stack = (spec: Record<string, unknown>, name = 'reviewer') =>
  object('AgentStack', name, { runtime: 'mux', ...spec });

const detail = (conditions: Condition[], reason: string) =>
  conditions.find(c => c.type !== 'Ready' && c.reason === reason);

describe.each(databases.eachSupportedId())('StackResolver on %p', id => {
  async function setUp(...runtimes: AgentRuntime[]) {
    const { store } = await createTestStore(databases, id);
    const resolver = new StackResolver({
      store,
      runtimes: registryOf(
        ...(runtimes.length ? runtimes : [testRuntime('mux')]),
      ),
      availability: new RuntimeAvailability({ maxAgeMs: 0 }),
    });
    return { store, resolver };
  }

  async function seedEverything(store: ResourceStore) {
    await seed(
      store,
      object('AgentToolProfile', 'safe', {
        allowedTools: ['Read', 'Edit'],
        network: { mode: 'allow-list', allowedHosts: ['github.com'] },
        approvalRequired: ['write-back'],
      }),
      object('AgentToolProfile', 'read-only', { allowedTools: ['Read'] }),
      object(
        'AgentMcpServer',
        'github',
        {
          transport: 'http',
          url: 'https://mcp.example.com',
          secretRefs: [{ name: 'github', key: 'token', env: 'GITHUB_TOKEN' }],
        },
        { health: 'Healthy' },
      ),
      object('AgentSkill', 'lint', {
        source: { repository: 'acme/skills', path: 'lint' },
        requiredConfig: [{ name: 'ci', key: 'url' }],
      }),
      object('AgentSkill', 'triage', {
        source: { repository: 'acme/skills', path: 'triage' },
      }),
      object('AgentSubagent', 'tester', {
        whenToUse: 'To run the tests',
        toolProfile: 'read-only',
        skills: ['triage'],
      }),
      serviceAccount('bot'),
      serviceAccount('runner', 'runner'),
      secretGrant('github-token', {}),
      object('AgentConfigGrant', 'ci-url', {
        configMapName: 'ci',
        keys: ['url'],
        subjects: [
          { kind: 'agent', name: 'bot' },
          { kind: 'skill', name: 'lint' },
        ],
        purpose: 'CI endpoint for the lint skill',
      }),
      object('AgentWorkspacePolicy', 'fresh', {
        provisioning: { mode: 'fresh', root: '.' },
      }),
      object('AgentContextLabel', 'payments', { prompt: 'Payments rules' }),
      stack({
        model: 'm1',
        systemPrompt: 'Review the change',
        toolProfile: 'safe',
        mcpServers: ['github'],
        skills: ['lint'],
        subagents: ['tester'],
        runnerPolicy: { pool: 'default', serviceAccountName: 'runner' },
        writeBackPolicy: { mode: 'pull-request' },
        runtimeServiceAccountName: 'bot',
        workspacePolicy: 'fresh',
        defaultContextLabels: ['payments'],
      }),
    );
  }

  it('resolves every reference into a Ready profile with a stable digest', async () => {
    const { store, resolver } = await setUp();
    await seedEverything(store);

    const first = await resolver.resolve('acme', 'reviewer');
    expect(first.readiness).toBe('Ready');
    expect(first.conditions).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Resolved',
        message: expect.any(String),
        lastTransitionTime: expect.any(String),
      },
    ]);
    expect(first.profile).toEqual({
      stack: 'reviewer',
      runtime: 'mux',
      model: 'm1',
      systemPrompt: 'Review the change',
      approvalMode: 'policy',
      allowSelfApproval: false,
      toolProfile: {
        name: 'safe',
        spec: {
          allowedTools: ['Read', 'Edit'],
          network: { mode: 'allow-list', allowedHosts: ['github.com'] },
          approvalRequired: ['write-back'],
        },
      },
      mcpServers: [
        {
          name: 'github',
          spec: {
            transport: 'http',
            url: 'https://mcp.example.com',
            secretRefs: [{ name: 'github', key: 'token', env: 'GITHUB_TOKEN' }],
          },
        },
      ],
      skills: [
        {
          name: 'lint',
          spec: {
            source: { repository: 'acme/skills', path: 'lint' },
            requiredConfig: [{ name: 'ci', key: 'url' }],
          },
        },
      ],
      subagents: [
        {
          name: 'tester',
          spec: {
            whenToUse: 'To run the tests',
            runtime: 'mux',
            model: 'm1',
            toolProfile: {
              name: 'read-only',
              spec: { allowedTools: ['Read'] },
            },
            skills: [
              {
                name: 'triage',
                spec: { source: { repository: 'acme/skills', path: 'triage' } },
              },
            ],
          },
        },
      ],
      runnerPolicy: { pool: 'default', serviceAccountName: 'runner' },
      writeBackPolicy: { mode: 'pull-request' },
      runtimeServiceAccount: 'bot',
      runnerServiceAccount: 'runner',
      workspacePolicy: 'fresh',
      defaultContextLabels: ['payments'],
    });
    expect(first.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(first.digest).toBe(digestOf(first.profile));

    const again = await resolver.resolve('acme', 'reviewer');
    expect(again.digest).toBe(first.digest);

    const tools = (await store.get('AgentToolProfile', 'acme', 'safe'))!;
    const relabelled = await store.update(
      { ...tools, metadata: { ...tools.metadata, labels: { team: 'x' } } },
      ALICE,
    );
    expect((await resolver.resolve('acme', 'reviewer')).digest).toBe(
      first.digest,
    );
    await store.update(
      { ...relabelled, spec: { ...tools.spec, deniedTools: ['Bash'] } },
      ALICE,
    );
    const changed = await resolver.resolve('acme', 'reviewer');
    expect(changed.digest).not.toBe(first.digest);
    expect(changed.profile.toolProfile?.spec.deniedTools).toEqual(['Bash']);
  });

  it('applies the approval defaults and copies the script', async () => {
    const { store, resolver } = await setUp(testRuntime('scripted'));
    const script = { steps: [{ say: 'hello' }, { shell: 'npm test' }] };
    await seed(store, stack({ runtime: 'scripted', script }, 'demo'));
    const { profile, readiness } = await resolver.resolve('acme', 'demo');
    expect(readiness).toBe('Ready');
    expect(profile).toMatchObject({
      approvalMode: 'policy',
      allowSelfApproval: false,
      script,
      mcpServers: [],
      skills: [],
      subagents: [],
      defaultContextLabels: [],
    });
  });

  it('throws NotFoundError for a stack that does not exist', async () => {
    const { resolver } = await setUp();
    await expect(resolver.resolve('acme', 'ghost')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('reports a runtime no module registered, listing the registered ones', async () => {
    const { store, resolver } = await setUp(
      testRuntime('mux'),
      testRuntime('scripted'),
    );
    await seed(store, stack({ runtime: 'claude-code' }));
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    expect(resolved.conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'RuntimeNotRegistered',
    });
    expect(detail(resolved.conditions, 'RuntimeNotRegistered')).toMatchObject({
      type: 'Invalid',
      status: 'True',
      message: expect.stringMatching(
        /AgentStack acme\/reviewer names runtime 'claude-code'.*Registered runtimes: mux, scripted/,
      ),
    });
  });

  it('reports an unavailable runtime with its reason and install hint', async () => {
    const { store, resolver } = await setUp(
      testRuntime('claude-code', {}, async () => ({
        available: false,
        reason: 'the claude binary is not on PATH',
        hint: 'Install it with npm install -g @anthropic-ai/claude-code.',
      })),
      testRuntime('codex', {}, async () => {
        throw new Error('gateway refused the connection');
      }),
    );
    await seed(
      store,
      stack({ runtime: 'claude-code' }),
      stack({ runtime: 'codex' }, 'coder'),
    );
    const claude = await resolver.resolve('acme', 'reviewer');
    expect(claude.readiness).toBe('Invalid');
    expect(detail(claude.conditions, 'RuntimeUnavailable')?.message).toBe(
      "Runtime 'claude-code' of AgentStack acme/reviewer cannot run on this backend: the claude binary is not on PATH. Install it with npm install -g @anthropic-ai/claude-code.",
    );
    const codex = await resolver.resolve('acme', 'coder');
    expect(detail(codex.conditions, 'RuntimeUnavailable')?.message).toContain(
      'its availability check failed: gateway refused the connection',
    );
  });

  it('lists every missing reference in one condition, including those of subagents', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      object('AgentSubagent', 'tester', {
        whenToUse: 'tests',
        toolProfile: 'gone',
      }),
      stack({
        toolProfile: 'safe',
        skills: ['lint', 'fmt'],
        subagents: ['tester'],
        workspacePolicy: 'fresh',
        defaultContextLabels: ['payments'],
      }),
    );
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    const missing = resolved.conditions.filter(
      c => c.reason === 'MissingReference' && c.type === 'Invalid',
    );
    expect(missing).toHaveLength(1);
    expect(missing[0].message).toBe(
      'AgentStack acme/reviewer refers to objects that do not exist in namespace acme: AgentToolProfile/safe (spec.toolProfile), AgentSkill/lint (spec.skills[0]), AgentSkill/fmt (spec.skills[1]), AgentWorkspacePolicy/fresh (spec.workspacePolicy), AgentContextLabel/payments (spec.defaultContextLabels[0]), AgentToolProfile/gone (AgentSubagent/tester spec.toolProfile). Create them or remove the references.',
    );
    expect(resolved.profile.subagents).toEqual([
      {
        name: 'tester',
        spec: { whenToUse: 'tests', runtime: 'mux' },
      },
    ]);
  });

  it('reports subagents and MCP servers the runtime cannot use', async () => {
    const { store, resolver } = await setUp(
      testRuntime('codex', { subagents: false, mcp: false }),
      testRuntime('mux'),
    );
    await seed(
      store,
      object('AgentSubagent', 'tester', { whenToUse: 'tests' }),
      object('AgentMcpServer', 'github', { transport: 'stdio' }),
      object('AgentSkill', 'lint', {
        source: { repository: 'acme/skills', path: 'lint' },
        compatibleRuntimes: ['claude-code'],
      }),
      stack({
        runtime: 'codex',
        subagents: ['tester'],
        mcpServers: ['github'],
        skills: ['lint'],
      }),
    );
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    const unsupported = detail(resolved.conditions, 'UnsupportedCapability');
    expect(unsupported?.type).toBe('Invalid');
    expect(unsupported?.message).toContain(
      "AgentStack acme/reviewer lists subagents (tester), but runtime 'codex' cannot dispatch subagents. Remove spec.subagents or set spec.runtime to a runtime that supports them (mux).",
    );
    expect(unsupported?.message).toContain(
      "mounts MCP servers (github), but runtime 'codex' cannot connect MCP servers",
    );
    expect(unsupported?.message).toContain(
      "AgentSkill/lint, used by AgentStack acme/reviewer, works only with runtimes claude-code, not 'codex'",
    );
  });

  it('warns about an unhealthy MCP server but stays runnable', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      object(
        'AgentMcpServer',
        'github',
        { transport: 'http', url: 'https://mcp.example.com' },
        { health: 'Unreachable', lastProbeTime: '2026-01-01T00:00:00Z' },
      ),
      stack({ mcpServers: ['github'] }),
    );
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Warning');
    expect(resolved.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'ResolvedWithWarnings',
      }),
      expect.objectContaining({
        type: 'Warning',
        status: 'True',
        reason: 'McpServerUnhealthy',
        message: expect.stringContaining(
          'AgentMcpServer/github, mounted by AgentStack acme/reviewer, is unhealthy (health Unreachable)',
        ),
      }),
    ]);

    const server = (await store.get('AgentMcpServer', 'acme', 'github'))!;
    await store.updateStatus(
      { ...server, status: { health: 'Healthy' } },
      ALICE,
    );
    expect((await resolver.resolve('acme', 'reviewer')).readiness).toBe(
      'Ready',
    );
  });

  it('refuses an MCP server that does not allow the stack', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      object('AgentMcpServer', 'github', {
        transport: 'stdio',
        allowedStacks: ['triage'],
      }),
      stack({ mcpServers: ['github'] }),
    );
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    expect(
      detail(resolved.conditions, 'McpServerNotAllowed')?.message,
    ).toContain('Add reviewer to its spec.allowedStacks');
  });

  it('reports missing service accounts separately from other references', async () => {
    const { store, resolver } = await setUp();
    await seed(
      store,
      serviceAccount('runner', 'runner'),
      stack({
        runtimeServiceAccountName: 'bot',
        runnerPolicy: { serviceAccountName: 'runner' },
      }),
    );
    const resolved = await resolver.resolve('acme', 'reviewer');
    expect(resolved.readiness).toBe('Invalid');
    expect(detail(resolved.conditions, 'MissingReference')).toBeUndefined();
    expect(detail(resolved.conditions, 'MissingServiceAccount')).toMatchObject({
      type: 'Invalid',
      message:
        'AgentStack acme/reviewer runs as service accounts that do not exist: AgentServiceAccount/bot (spec.runtimeServiceAccountName). Create the AgentServiceAccount or name an existing one.',
    });
  });

  describe('grants', () => {
    async function grantSetUp(...grants: ReturnType<typeof secretGrant>[]) {
      const context = await setUp();
      await seed(
        context.store,
        serviceAccount('bot'),
        object('AgentMcpServer', 'github', {
          transport: 'stdio',
          secretRefs: [{ name: 'github', key: 'token' }],
        }),
        object('AgentMcpServer', 'jira', { transport: 'stdio' }),
        ...grants,
        stack({
          mcpServers: ['github', 'jira'],
          runtimeServiceAccountName: 'bot',
        }),
      );
      return (await context.resolver.resolve('acme', 'reviewer')).conditions;
    }

    it('accepts a grant of the key to the runtime identity', async () => {
      const conditions = await grantSetUp(secretGrant('g', {}));
      expect(conditions.map(c => c.reason)).toEqual(['Resolved']);
    });

    it('accepts a grant scoped to the identity and the consuming server', async () => {
      const conditions = await grantSetUp(
        secretGrant('g', {
          subjects: [
            { kind: 'agent', name: 'bot' },
            { kind: 'mcp-server', name: 'github' },
          ],
        }),
      );
      expect(conditions.map(c => c.reason)).toEqual(['Resolved']);
    });

    it.each([
      ['no grant at all', []],
      [
        'a grant scoped to another consumer',
        [
          secretGrant('g', {
            subjects: [
              { kind: 'agent', name: 'bot' },
              { kind: 'mcp-server', name: 'jira' },
            ],
          }),
        ],
      ],
      [
        'a grant to the consumer but not the identity',
        [
          secretGrant('g', {
            subjects: [{ kind: 'mcp-server', name: 'github' }],
          }),
        ],
      ],
      [
        'a grant to another identity',
        [secretGrant('g', { subjects: [{ kind: 'agent', name: 'other' }] })],
      ],
      ['a grant of another key', [secretGrant('g', { keys: ['webhook'] })]],
      [
        'a grant past its expiry',
        [secretGrant('g', { expiresAt: '2020-01-01T00:00:00Z' })],
      ],
      [
        'a grant whose key is missing',
        [secretGrant('g', {}, { state: 'missing', missingKeys: ['token'] })],
      ],
      ['a grant marked expired', [secretGrant('g', {}, { state: 'expired' })]],
    ])('reports MissingGrant with %s', async (_, grants) => {
      const conditions = await grantSetUp(...grants);
      expect(conditions[0]).toMatchObject({
        status: 'False',
        reason: 'MissingGrant',
      });
      expect(detail(conditions, 'MissingGrant')?.message).toBe(
        'AgentServiceAccount/bot, the runtime identity of AgentStack acme/reviewer, has no active grant for Secret github key token (AgentMcpServer/github spec.secretRefs[0]). Create an AgentSecretGrant of those keys with subject agent:bot (add a consumer subject such as mcp-server:github to scope it); grants past their expiry or with missing keys do not count.',
      );
    });

    it('checks the config and secrets of skills, also those of subagents', async () => {
      const { store, resolver } = await setUp();
      await seed(
        store,
        serviceAccount('bot'),
        object('AgentSkill', 'lint', {
          source: { repository: 'acme/skills', path: 'lint' },
          requiredConfig: [{ name: 'ci', key: 'url' }],
          requiredSecrets: [{ name: 'npm', key: 'token' }],
        }),
        object('AgentSubagent', 'tester', {
          whenToUse: 'tests',
          skills: ['lint'],
        }),
        secretGrant('npm', { secretName: 'npm' }),
        stack({ subagents: ['tester'], runtimeServiceAccountName: 'bot' }),
      );
      const resolved = await resolver.resolve('acme', 'reviewer');
      expect(detail(resolved.conditions, 'MissingGrant')?.message).toContain(
        'has no active grant for ConfigMap ci key url (AgentSkill/lint spec.requiredConfig[0]). Create an AgentConfigGrant',
      );
    });

    it('asks for a runtime identity when the stack has none', async () => {
      const { store, resolver } = await setUp();
      await seed(
        store,
        object('AgentMcpServer', 'github', {
          transport: 'stdio',
          secretRefs: [{ name: 'github', key: 'token' }],
        }),
        stack({ mcpServers: ['github'] }),
      );
      const resolved = await resolver.resolve('acme', 'reviewer');
      expect(detail(resolved.conditions, 'MissingGrant')?.message).toBe(
        'AgentStack acme/reviewer needs Secret github key token (AgentMcpServer/github spec.secretRefs[0]), but names no spec.runtimeServiceAccountName to hold grants for them. Set it to an AgentServiceAccount with purpose agent that AgentSecretGrant/AgentConfigGrant objects grant those keys to.',
      );
    });
  });

  describe('approvals', () => {
    async function approvalSetUp(
      runtime: AgentRuntime,
      spec: Record<string, unknown>,
      tools?: Record<string, unknown>,
    ) {
      const { store, resolver } = await setUp(runtime);
      if (tools) await seed(store, object('AgentToolProfile', 'tools', tools));
      await seed(
        store,
        stack({
          runtime: runtime.id,
          ...(tools ? { toolProfile: 'tools' } : {}),
          ...spec,
        }),
      );
      return resolver.resolve('acme', 'reviewer');
    }

    it('warns when approvalMode never meets an open network or a writing write-back', async () => {
      const open = await approvalSetUp(
        testRuntime('mux'),
        { approvalMode: 'never' },
        { network: { mode: 'open' } },
      );
      expect(open.readiness).toBe('Warning');
      expect(detail(open.conditions, 'UnsafeApprovalMode')?.message).toContain(
        'AgentStack acme/reviewer has approvalMode never while AgentToolProfile/tools opens the network to any host; no human sees these actions.',
      );

      const writing = await approvalSetUp(
        testRuntime('mux'),
        { approvalMode: 'never', writeBackPolicy: { mode: 'branch' } },
        { network: { mode: 'none' } },
      );
      expect(
        detail(writing.conditions, 'UnsafeApprovalMode')?.message,
      ).toContain('spec.writeBackPolicy.mode branch writes to the repository');

      const unrestricted = await approvalSetUp(testRuntime('mux'), {
        approvalMode: 'never',
      });
      expect(
        detail(unrestricted.conditions, 'UnsafeApprovalMode')?.message,
      ).toContain('no tool profile restricts the network, so it is open');

      const contained = await approvalSetUp(
        testRuntime('mux'),
        { approvalMode: 'never', writeBackPolicy: { mode: 'comment' } },
        { network: { mode: 'allow-list', allowedHosts: ['github.com'] } },
      );
      expect(contained.readiness).toBe('Ready');
    });

    it.each([
      ['approvalMode always', { approvalMode: 'always' }, undefined],
      [
        'approvalRequired in the tool profile',
        {},
        { approvalRequired: ['shell'] },
      ],
      [
        'writeBackPolicy.requireApproval',
        { writeBackPolicy: { mode: 'patch', requireApproval: true } },
        undefined,
      ],
    ])(
      'warns that approvals are advisory, and refuses a runtime without approvals, for %s',
      async (_, spec, tools) => {
        const advisory = await approvalSetUp(
          testRuntime('claude-code', { approvals: 'advisory' }),
          spec,
          tools,
        );
        expect(advisory.readiness).toBe('Warning');
        expect(
          detail(advisory.conditions, 'ApprovalsAdvisory')?.message,
        ).toMatch(
          /runtime 'claude-code' honours them only advisorily: its gateway hooks fail open\. Krate denies each gated action and holds it until a human decides \(deny-and-hold\)/,
        );

        const none = await approvalSetUp(
          testRuntime('bare', { approvals: 'none' }),
          spec,
          tools,
        );
        expect(none.readiness).toBe('Invalid');
        expect(detail(none.conditions, 'ApprovalsUnsupported')).toMatchObject({
          type: 'Invalid',
          message: expect.stringContaining(
            "runtime 'bare' cannot hold actions for approval",
          ),
        });
      },
    );

    it('needs no approval support when nothing asks a human', async () => {
      const resolved = await approvalSetUp(
        testRuntime('bare', { approvals: 'none' }),
        { approvalMode: 'never' },
        { approvalRequired: ['shell'], network: { mode: 'none' } },
      );
      expect(resolved.readiness).toBe('Ready');
    });
  });

  describe('scripted runtime', () => {
    async function scriptSetUp(spec: Record<string, unknown>) {
      const { store, resolver } = await setUp(testRuntime('scripted'));
      await seed(
        store,
        object('AgentSubagent', 'tester', {
          whenToUse: 'tests',
          script: { steps: [{ say: 'testing' }, { think: 'a', say: 'b' }] },
        }),
        object('AgentSubagent', 'silent', { whenToUse: 'never' }),
        stack({ runtime: 'scripted', ...spec }),
      );
      return resolver.resolve('acme', 'reviewer');
    }

    it('requires a script', async () => {
      const resolved = await scriptSetUp({});
      expect(resolved.readiness).toBe('Invalid');
      expect(detail(resolved.conditions, 'MissingScript')?.message).toBe(
        'AgentStack acme/reviewer runs on the scripted runtime but has no spec.script. Add spec.script.steps or choose another runtime.',
      );
    });

    it('requires exactly one action per step and names the step', async () => {
      const resolved = await scriptSetUp({
        script: {
          steps: [
            { say: 'hi' },
            { shell: 'npm test', onDenied: 'continue' },
            { say: 'a', shell: 'b' },
            { onDenied: 'fail' },
          ],
          continueSteps: [{ sleepMs: 10, fail: 'x' }],
        },
      });
      expect(resolved.readiness).toBe('Invalid');
      const message = detail(resolved.conditions, 'InvalidScript')!.message;
      expect(message).toContain(
        'AgentStack acme/reviewer spec.script.steps[2] carries several actions (say, shell); split it into one step per action.',
      );
      expect(message).toContain(
        'AgentStack acme/reviewer spec.script.steps[3] carries no action; give it exactly one of say, think,',
      );
      expect(message).toContain(
        'spec.script.continueSteps[0] carries several actions (sleepMs, fail)',
      );
      expect(message).not.toContain('steps[0]');
      expect(message).not.toContain('steps[1]');
    });

    it('checks subagent steps against the listed subagents and their scripts', async () => {
      const resolved = await scriptSetUp({
        subagents: ['tester', 'silent'],
        script: {
          steps: [
            { subagent: { name: 'tester' } },
            { subagent: { name: 'stranger' } },
            { subagent: { name: 'silent' } },
          ],
        },
      });
      expect(resolved.readiness).toBe('Invalid');
      const message = detail(resolved.conditions, 'InvalidScript')!.message;
      expect(message).toContain(
        "AgentStack acme/reviewer spec.script.steps[1] runs subagent 'stranger', which AgentStack acme/reviewer does not list in spec.subagents.",
      );
      expect(message).toContain(
        'AgentSubagent/tester spec.script.steps[1] carries several actions (say, think)',
      );
      expect(detail(resolved.conditions, 'MissingScript')?.message).toBe(
        'AgentStack acme/reviewer spec.script.steps[2] runs AgentSubagent/silent on the scripted runtime, but it has no spec.script. Add spec.script.steps to the subagent.',
      );
    });
  });

  it('keeps lastTransitionTime while a condition stays, and moves it when it changes', async () => {
    const { store, resolver } = await setUp();
    await seed(store, stack({ toolProfile: 'safe' }));
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-02T00:00:00Z');
    const first = await resolver.resolve('acme', 'reviewer', { now: t1 });
    const second = await resolver.resolve('acme', 'reviewer', {
      now: t2,
      previousConditions: first.conditions,
    });
    expect(second.conditions).toEqual(first.conditions);
    expect(second.conditions[0].lastTransitionTime).toBe(t1.toISOString());

    await seed(store, object('AgentToolProfile', 'safe', {}));
    const third = await resolver.resolve('acme', 'reviewer', {
      now: t2,
      previousConditions: second.conditions,
    });
    expect(third.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'Resolved',
        lastTransitionTime: t2.toISOString(),
      }),
    ]);
  });
});
