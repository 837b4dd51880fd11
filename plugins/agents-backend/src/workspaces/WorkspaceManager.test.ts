import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commit, git, gitSandbox } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { StoredResource } from '../resources/ResourceStore';
import { WorkspaceAction, WorkspaceManager } from './WorkspaceManager';
import { WorkspaceRuns } from './WorkspaceRuns';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ALICE = 'user:default/alice';

describe.each(databases.eachSupportedId())('WorkspaceManager on %p', id => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  async function setUp(options: { root?: string } = {}) {
    sandbox = gitSandbox();
    const { store, audit } = await createTestStore(databases, id);
    const manager = WorkspaceManager.create({
      store,
      root: options.root ?? sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    const violations: string[] = [];
    const act = (
      name: string,
      action: WorkspaceAction,
      params: Record<string, unknown> = {},
    ) =>
      manager.perform({
        namespace: 'acme',
        name,
        action,
        params,
        actor: ALICE,
        onPolicyViolation: async message => {
          violations.push(message);
        },
      });
    const provision = (name: string, params: Record<string, unknown> = {}) =>
      act(name, 'provision', {
        repository: 'acme/payments-api',
        repositoryPath: sandbox.repo,
        trustTier: 'trusted',
        ...params,
      });
    const get = async (name: string) =>
      (await store.get('AgentWorkspace', 'acme', name)) as StoredResource & {
        spec: any;
        status: any;
      };
    const policy = (name: string, spec: Record<string, unknown>) =>
      store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentWorkspacePolicy',
          metadata: { namespace: 'acme', name },
          spec: { provisioning: { mode: 'fresh', root: '.' }, ...spec },
        },
        { actor: ALICE },
      );
    /** A record pointing at any path, as a controller or an import might have written it. */
    const record = (name: string, spec: Record<string, unknown>) =>
      store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentWorkspace',
          metadata: { namespace: 'acme', name },
          spec: {
            repository: 'acme/payments-api',
            ownership: { kind: 'manual' },
            trustTier: 'trusted',
            ...spec,
          },
          status: { state: 'active' },
        },
        { actor: ALICE },
      );
    return {
      store,
      audit,
      manager,
      act,
      provision,
      get,
      policy,
      record,
      violations,
    };
  }

  it('provisions a real worktree on a new branch and records it', async () => {
    const { provision, get, audit } = await setUp();
    const head = git(sandbox.repo, 'rev-parse', 'HEAD');
    const result = await provision('w1', {
      ownership: { kind: 'issue', ref: '42' },
    });
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    expect(result.created).toBe(true);
    expect(result.action).toMatchObject({
      action: 'provision',
      actor: ALICE,
      result: 'succeeded',
    });
    expect(result.status).toMatchObject({
      state: 'active',
      pathMissing: false,
      git: {
        branch: 'agents/w1',
        headSha: head,
        dirty: false,
        uncommittedCount: 0,
        conflictingFiles: [],
        rebaseInProgress: false,
      },
    });
    expect(git(worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(
      'agents/w1',
    );
    expect(git(sandbox.repo, 'worktree', 'list')).toContain(worktree);
    const stored = await get('w1');
    expect(stored.spec).toMatchObject({
      path: worktree,
      branch: 'agents/w1',
      ref: 'HEAD',
      sha: head,
      trustTier: 'trusted',
      ownership: { kind: 'issue', ref: '42' },
    });
    const trail = await audit.listForTarget({
      target: { kind: 'AgentWorkspace', namespace: 'acme', name: 'w1' },
      limit: 10,
    });
    // Recorded in progress first, so a restart during the git work finds it; then completed.
    expect(trail.map(r => [r.action, r.actor])).toEqual([
      ['update-status', ALICE],
      ['create', ALICE],
    ]);
  });

  it('provisions only from repositories inside the repository roots, without running their hooks', async () => {
    const { provision, store } = await setUp();
    const outside = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'outside-')),
    );
    git(outside, 'init', '-q', '-b', 'main');
    commit(outside, 'README.md', 'x\n');
    await expect(
      provision('w-out', { repositoryPath: outside }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /^repositoryPath: .* is outside the repository roots/,
      ),
    });
    expect(await store.get('AgentWorkspace', 'acme', 'w-out')).toBeUndefined();
    fs.rmSync(outside, { recursive: true, force: true });

    const marker = path.join(sandbox.base, 'hook-ran');
    const hook = path.join(sandbox.repo, '.git', 'hooks', 'post-checkout');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await provision('w-hooked');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('refuses bad provision parameters naming the field', async () => {
    const { act, provision } = await setUp();
    await expect(
      act('w1', 'provision', { repositoryPath: sandbox.repo }),
    ).rejects.toThrow('repository: is required');
    await expect(
      provision('w1', { repositoryPath: sandbox.root }),
    ).rejects.toThrow(/^repositoryPath: .* is not a git repository/);
    await expect(provision('w1', { ref: 'nope' })).rejects.toThrow(
      /^ref: 'nope' is not a commit/,
    );
    await expect(provision('w1', { trustTier: 'sort-of' })).rejects.toThrow(
      'trustTier: must be one of trusted, untrusted, forked',
    );
    await expect(provision('w1', { branch: 'bad..branch' })).rejects.toThrow(
      "branch: 'bad..branch' is not a valid branch name",
    );
    await provision('w1');
    await expect(provision('w1')).rejects.toThrow(/already exists/);
  });

  it('pins, unpins, saves notes and archives, recording each action', async () => {
    const { act, provision, get } = await setUp();
    await provision('w1');
    const pinned = await act('w1', 'pin');
    expect(pinned.action).toMatchObject({ action: 'pin', result: 'succeeded' });
    expect((await get('w1')).spec.pinned).toBe(true);
    await act('w1', 'unpin');
    expect((await get('w1')).spec.pinned).toBeUndefined();
    await act('w1', 'notes-save', { notes: 'flaky test lives in ci.yml' });
    expect((await get('w1')).spec.notes).toBe('flaky test lives in ci.yml');
    await expect(act('w1', 'notes-save', { notes: 3 })).rejects.toThrow(
      'notes: is required and must be a string',
    );
    const archived = await act('w1', 'archive');
    expect(archived.status.state).toBe('archived');
    expect((await get('w1')).status.lastAction).toMatchObject({
      action: 'archive',
      actor: ALICE,
      result: 'succeeded',
    });
  });

  it('cleans up a clean worktree and keeps the record', async () => {
    const { act, provision, get } = await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    const result = await act('w1', 'cleanup');
    expect(result.action.message).toBe(`removed worktree ${worktree}`);
    expect(fs.existsSync(worktree)).toBe(false);
    expect(git(sandbox.repo, 'worktree', 'list')).not.toContain(worktree);
    expect((await get('w1')).status.state).toBe('archived');
  });

  it('blocks cleanup of a dirty workspace until reviewed, and records the override', async () => {
    const { act, provision, get, policy } = await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    fs.writeFileSync(path.join(worktree, 'wip.txt'), 'unsaved work');
    await expect(act('w1', 'cleanup')).rejects.toThrow(
      'cleanup: the workspace has 1 uncommitted change(s); review them and repeat with reviewed: true to discard them',
    );
    expect(fs.existsSync(path.join(worktree, 'wip.txt'))).toBe(true);
    expect((await get('w1')).status.lastAction).toMatchObject({
      action: 'cleanup',
      result: 'failed',
    });

    await policy('strict', { cleanup: { allowDirty: false } });
    await expect(
      act('w1', 'cleanup', { reviewed: true, policy: 'strict' }),
    ).rejects.toThrow(
      'cleanup: AgentWorkspacePolicy acme/strict does not allow discarding uncommitted changes (cleanup.allowDirty is false)',
    );
    expect(fs.existsSync(worktree)).toBe(true);
    expect((await get('w1')).status.lastAction.result).toBe('denied');

    const done = await act('w1', 'cleanup', { reviewed: true });
    expect(done.action.message).toBe(
      `removed worktree ${worktree}, discarding 1 uncommitted change(s) reviewed by ${ALICE}`,
    );
    expect(fs.existsSync(worktree)).toBe(false);
  });

  it('refuses to clean up a pinned workspace', async () => {
    const { act, provision } = await setUp();
    await provision('w1');
    await act('w1', 'pin');
    await expect(act('w1', 'cleanup')).rejects.toThrow(
      'cleanup: the workspace is pinned; unpin it first',
    );
    expect(fs.existsSync(path.join(sandbox.root, 'acme', 'w1'))).toBe(true);
  });

  describe('never cleans up outside the root', () => {
    /** A real worktree outside the root, which must survive every attempt. */
    function outsideWorktree() {
      const outside = path.join(sandbox.base, 'outside');
      git(sandbox.repo, 'worktree', 'add', '-q', '-b', 'outside', outside);
      return outside;
    }

    async function expectRefused(
      env: Awaited<ReturnType<typeof setUp>>,
      name: string,
      pattern: RegExp,
    ) {
      await expect(env.act(name, 'cleanup')).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(pattern),
      });
      expect(env.violations).toEqual([
        expect.stringMatching(/^cleanup refused by the workspace root policy/),
      ]);
      expect((await env.get(name)).status.lastAction).toMatchObject({
        action: 'cleanup',
        result: 'denied',
        message: expect.stringContaining('workspace root policy'),
      });
    }

    it('refuses a path outside the root', async () => {
      const env = await setUp();
      const outside = outsideWorktree();
      await env.record('w1', { path: outside, branch: 'outside' });
      await expectRefused(env, 'w1', /is outside the workspace root/);
      expect(fs.existsSync(outside)).toBe(true);
    });

    it("refuses a path with '..' segments", async () => {
      const env = await setUp();
      const outside = outsideWorktree();
      await env.record('w1', { path: `${sandbox.root}/../outside` });
      await expectRefused(env, 'w1', /contains '\.\.'/);
      expect(fs.existsSync(outside)).toBe(true);
    });

    it('refuses a symlink in the root that points out of it', async () => {
      const env = await setUp();
      const outside = outsideWorktree();
      const link = path.join(sandbox.root, 'sneaky');
      fs.symlinkSync(outside, link);
      await env.record('w1', { path: link });
      await expectRefused(env, 'w1', /is a symlink/);
      expect(fs.existsSync(path.join(outside, 'README.md'))).toBe(true);
    });

    it('refuses a directory whose parent is a symlink out of the root', async () => {
      const env = await setUp();
      const outside = outsideWorktree();
      fs.symlinkSync(sandbox.base, path.join(sandbox.root, 'up'));
      await env.record('w1', {
        path: path.join(sandbox.root, 'up', 'outside'),
      });
      await expectRefused(
        env,
        'w1',
        /resolves to .* outside the workspace root/,
      );
      expect(fs.existsSync(outside)).toBe(true);
    });

    it('refuses a root that is itself a symlink', async () => {
      const env = await setUp();
      const root = path.join(sandbox.base, 'linked-root');
      fs.symlinkSync(sandbox.root, root);
      const manager = WorkspaceManager.create({
        store: env.store,
        root,
        repositoryRoots: [sandbox.base],
      });
      const target = path.join(sandbox.root, 'acme', 'w1');
      git(sandbox.repo, 'worktree', 'add', '-q', '-b', 'w1', target);
      await env.record('w1', { path: path.join(root, 'acme', 'w1') });
      await expect(
        manager.perform({
          namespace: 'acme',
          name: 'w1',
          action: 'cleanup',
          params: {},
          actor: ALICE,
        }),
      ).rejects.toThrow(/workspace root policy.*is a symlink/);
      expect(fs.existsSync(path.join(target, 'README.md'))).toBe(true);
    });

    it('refuses a policy whose root leads out of the configured root', async () => {
      const env = await setUp();
      await env.policy('escape', {
        provisioning: { mode: 'fresh', root: '../elsewhere' },
      });
      await expect(env.provision('w1', { policy: 'escape' })).rejects.toThrow(
        /workspace root policy.*AgentWorkspacePolicy acme\/escape: provisioning\.root '\.\.\/elsewhere' is outside the workspace root/,
      );
      expect(fs.existsSync(path.join(sandbox.base, 'elsewhere'))).toBe(false);
      expect(env.violations).toHaveLength(1);
    });
  });

  it('marks a missing path missing, keeps the record, and recovers it', async () => {
    const { act, provision, get } = await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    commit(worktree, 'work.txt', 'agent work\n');
    fs.rmSync(worktree, { recursive: true, force: true });

    const pinned = await act('w1', 'pin');
    expect(pinned.status).toMatchObject({
      state: 'missing',
      pathMissing: true,
    });
    await expect(act('w1', 'rebase-start', { onto: 'main' })).rejects.toThrow(
      'rebase-start: the workspace path is missing; recover, archive or cleanup it',
    );
    expect(await get('w1')).toBeDefined();

    const outside = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'outside-')),
    );
    git(outside, 'init', '-q', '-b', 'main');
    commit(outside, 'README.md', 'x\n');
    await expect(
      act('w1', 'recover', { repositoryPath: outside }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(/is outside the repository roots/),
    });
    fs.rmSync(outside, { recursive: true, force: true });

    const recovered = await act('w1', 'recover');
    expect(recovered.action.message).toBe(`re-created worktree ${worktree}`);
    expect(recovered.status).toMatchObject({
      state: 'active',
      pathMissing: false,
      git: { branch: 'agents/w1' },
    });
    // The branch survived, so the agent's commit is back.
    expect(fs.readFileSync(path.join(worktree, 'work.txt'), 'utf8')).toBe(
      'agent work\n',
    );
  });

  it('relinks a missing workspace to another worktree under the root', async () => {
    const { act, provision, get } = await setUp();
    await provision('w1');
    fs.rmSync(path.join(sandbox.root, 'acme', 'w1'), { recursive: true });
    const other = path.join(sandbox.root, 'moved');
    git(sandbox.repo, 'worktree', 'add', '-q', '-b', 'moved', other);
    const result = await act('w1', 'recover', { path: other });
    expect(result.status.state).toBe('active');
    expect((await get('w1')).spec.path).toBe(other);
    await expect(act('w1', 'recover', { path: sandbox.repo })).rejects.toThrow(
      /workspace root policy/,
    );
  });

  it('cleans up a missing workspace without deleting anything', async () => {
    const { act, provision, get } = await setUp();
    await provision('w1');
    const worktree = path.join(sandbox.root, 'acme', 'w1');
    fs.rmSync(worktree, { recursive: true });
    fs.mkdirSync(worktree);
    fs.writeFileSync(path.join(worktree, 'user-file'), 'keep me');
    const result = await act('w1', 'cleanup');
    expect(result.action.message).toMatch(/nothing was removed/);
    expect(fs.readFileSync(path.join(worktree, 'user-file'), 'utf8')).toBe(
      'keep me',
    );
    expect((await get('w1')).status.state).toBe('archived');
  });

  it('leaves a workspace known only by an external id alone', async () => {
    const { act, record } = await setUp();
    await record('ext', { externalId: 'codespace-42' });
    const pinned = await act('ext', 'pin');
    expect(pinned.status).toMatchObject({
      state: 'active',
      pathMissing: false,
    });
    await expect(act('ext', 'cleanup', {})).rejects.toThrow(
      'cleanup: the workspace is pinned; unpin it first',
    );
    await act('ext', 'unpin');
    await expect(act('ext', 'cleanup')).rejects.toThrow(
      'cleanup: the workspace has no path to remove',
    );
  });

  describe('rebase', () => {
    /** A workspace whose branch and main both changed README.md differently. */
    async function conflicted(
      env: Awaited<ReturnType<typeof setUp>>,
      ours: string,
      theirs: string,
    ) {
      await env.provision('w1');
      const worktree = path.join(sandbox.root, 'acme', 'w1');
      // The agent's commit also adds a file, so git cannot drop it as already applied upstream.
      fs.writeFileSync(path.join(worktree, 'agent.txt'), 'agent\n');
      git(worktree, 'add', 'agent.txt');
      commit(worktree, 'README.md', theirs);
      commit(sandbox.repo, 'README.md', ours);
      await expect(
        env.act('w1', 'rebase-start', { onto: 'main' }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'rebase stopped: conflicts in README.md; resolve them, then rebase-mark-resolved, or rebase-auto-resolve or rebase-abort',
      });
      return worktree;
    }

    it('rebases cleanly onto a ref', async () => {
      const env = await setUp();
      await env.provision('w1');
      const main = commit(sandbox.repo, 'other.txt', 'x\n');
      const result = await env.act('w1', 'rebase-start', { onto: 'main' });
      expect(result.action.message).toBe('rebased onto main');
      expect(
        git(path.join(sandbox.root, 'acme', 'w1'), 'rev-parse', 'HEAD'),
      ).toBe(main);
      await expect(env.act('w1', 'rebase-start', {})).rejects.toThrow(
        'onto: is required',
      );
      await expect(
        env.act('w1', 'rebase-start', { onto: 'nope' }),
      ).rejects.toThrow("onto: 'nope' is not a commit in the workspace");
      await expect(env.act('w1', 'rebase-abort')).rejects.toThrow(
        'rebase-abort: no rebase is in progress',
      );
    });

    it('lists conflicts, keeps rebase actions available and aborts', async () => {
      const env = await setUp();
      const worktree = await conflicted(env, 'main change\n', 'agent change\n');
      const stored = await env.get('w1');
      expect(stored.status.git).toMatchObject({
        rebaseInProgress: true,
        conflictingFiles: ['README.md'],
        dirty: true,
      });
      expect(stored.status.lastAction).toMatchObject({
        action: 'rebase-start',
        result: 'failed',
      });
      await expect(env.act('w1', 'rebase-mark-resolved')).rejects.toThrow(
        /^rebase-mark-resolved refused: conflicts in README.md/,
      );
      await expect(env.act('w1', 'rebase-auto-resolve')).rejects.toThrow(
        /^rebase-auto-resolve cannot resolve trivially, these need a decision: conflicts in README.md/,
      );
      // Still mid-rebase: the actions stay available.
      expect((await env.get('w1')).status.git.rebaseInProgress).toBe(true);
      const aborted = await env.act('w1', 'rebase-abort');
      expect(aborted.status.git).toMatchObject({
        rebaseInProgress: false,
        conflictingFiles: [],
        branch: 'agents/w1',
      });
      expect(fs.readFileSync(path.join(worktree, 'README.md'), 'utf8')).toBe(
        'agent change\n',
      );
    });

    it('continues after the user resolved the conflict', async () => {
      const env = await setUp();
      const worktree = await conflicted(env, 'main change\n', 'agent change\n');
      fs.writeFileSync(path.join(worktree, 'README.md'), 'both changes\n');
      const result = await env.act('w1', 'rebase-mark-resolved');
      expect(result.status.git).toMatchObject({
        rebaseInProgress: false,
        branch: 'agents/w1',
        dirty: false,
      });
      expect(git(worktree, 'show', 'HEAD:README.md')).toBe('both changes');
      expect(git(worktree, 'rev-parse', 'HEAD~1')).toBe(
        git(sandbox.repo, 'rev-parse', 'main'),
      );
    });

    it('auto-resolves conflicts that differ only in whitespace', async () => {
      const env = await setUp();
      const worktree = await conflicted(
        env,
        'same change\n',
        'same   change  \n',
      );
      const result = await env.act('w1', 'rebase-auto-resolve');
      expect(result.action.message).toBe(
        'auto-resolved 1 file(s), rebase continued',
      );
      expect(result.status.git?.rebaseInProgress).toBe(false);
      expect(fs.readFileSync(path.join(worktree, 'README.md'), 'utf8')).toBe(
        'same   change  \n',
      );
    });

    it('gives an editor link only for paths inside the root', async () => {
      const env = await setUp();
      await env.provision('w1');
      const result = await env.act('w1', 'rebase-open-in-editor');
      const worktree = path.join(sandbox.root, 'acme', 'w1');
      expect(result.status.editorUrl).toBe(`vscode://file${worktree}`);
      await env.record('w2', { path: sandbox.repo });
      await expect(env.act('w2', 'rebase-open-in-editor')).rejects.toThrow(
        /workspace root policy.*outside the workspace root/,
      );
      expect((await env.get('w2')).status.editorUrl).toBeUndefined();
    });

    it("honours the policy's allowed rebase actions, naming the policy", async () => {
      const env = await setUp();
      await env.provision('w1');
      await env.policy('default', { rebase: { allowedActions: ['abort'] } });
      await expect(
        env.act('w1', 'rebase-start', { onto: 'main' }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message:
          'rebase-start: AgentWorkspacePolicy acme/default does not allow it (rebase.allowedActions: abort)',
      });
      expect((await env.get('w1')).status.lastAction.result).toBe('denied');
      await expect(
        env.act('w1', 'rebase-start', { onto: 'main', policy: 'missing' }),
      ).rejects.toThrow('policy: AgentWorkspacePolicy acme/missing not found');
    });
  });

  describe('trust tiers', () => {
    it('provisions untrusted work in a fresh worktree of its own', async () => {
      const { provision, get } = await setUp();
      await provision('trusted-ws');
      await provision('fork-ws', { trustTier: 'forked' });
      const trusted = await get('trusted-ws');
      const forked = await get('fork-ws');
      expect(forked.spec.trustTier).toBe('forked');
      expect(forked.spec.path).not.toBe(trusted.spec.path);
      expect(forked.spec.branch).toBe('agents/fork-ws');
    });

    it('never links untrusted work to a trusted workspace, nor across repositories', async () => {
      const { act, provision } = await setUp();
      await provision('trusted-ws');
      const trustedPath = path.join(sandbox.root, 'acme', 'trusted-ws');
      const link = (name: string, extra: Record<string, unknown>) =>
        act(name, 'link-existing', {
          path: trustedPath,
          repository: 'acme/payments-api',
          ...extra,
        });
      await expect(
        link('untrusted-ws', { trustTier: 'untrusted' }),
      ).rejects.toThrow(
        /belongs to AgentWorkspace acme\/trusted-ws \(trust tier trusted\); untrusted work needs an isolated workspace/,
      );
      await expect(
        link('other-repo', { trustTier: 'trusted', repository: 'acme/other' }),
      ).rejects.toThrow(/of repository acme\/payments-api/);
      const shared = await link('shared', { trustTier: 'trusted' });
      expect(shared.created).toBe(true);
      expect(shared.status.git?.branch).toBe('agents/trusted-ws');
      await expect(
        act('outside', 'link-existing', {
          path: sandbox.repo,
          repository: 'acme/payments-api',
        }),
      ).rejects.toThrow(/workspace root policy/);
    });
    it("lowers a requested tier to what the ref deserves, with that tier's service account", async () => {
      const { provision, get, policy } = await setUp();
      await policy('tiers', {
        trustTiers: [
          {
            tier: 'trusted',
            isolation: 'shared',
            serviceAccountName: 'agent-default',
          },
          {
            tier: 'untrusted',
            isolation: 'isolated',
            serviceAccountName: 'agent-untrusted',
          },
        ],
      });
      git(sandbox.repo, 'checkout', '-q', '-b', 'side');
      const unbranched = commit(sandbox.repo, 'side.txt', 'side\n');
      git(sandbox.repo, 'checkout', '-q', 'main');
      git(sandbox.repo, 'branch', '-D', 'side');
      await provision('claims-trust', { ref: unbranched, policy: 'tiers' });
      expect((await get('claims-trust')).spec).toMatchObject({
        trustTier: 'untrusted',
        serviceAccountName: 'agent-untrusted',
        sha: unbranched,
      });
    });
  });

  describe('runs and actions in progress', () => {
    it('provisions by repository name from the repositories the backend knows', async () => {
      sandbox = gitSandbox();
      const { store } = await createTestStore(databases, id);
      const located: string[] = [];
      const manager = WorkspaceManager.create({
        store,
        root: sandbox.root,
        repositoryRoots: [sandbox.base],
        repositories: {
          locate: async (name, ref) => {
            located.push(`${name}@${ref}`);
            return name === 'acme/payments-api'
              ? { path: sandbox.repo }
              : undefined;
          },
        },
      });
      const provision = (name: string, repository: string) =>
        manager.perform({
          namespace: 'acme',
          name,
          action: 'provision',
          params: { repository, ref: 'main' },
          actor: ALICE,
        });
      const result = await provision('w1', 'acme/payments-api');
      expect(result.created).toBe(true);
      expect(located).toEqual(['acme/payments-api@main']);
      expect(
        git(path.join(sandbox.root, 'acme', 'w1'), 'rev-parse', 'HEAD'),
      ).toBe(git(sandbox.repo, 'rev-parse', 'main'));
      await expect(provision('w2', 'acme/unknown')).rejects.toThrow(
        'repositoryPath: is required',
      );
      expect(await store.get('AgentWorkspace', 'acme', 'w2')).toBeUndefined();
    });

    it('records the provision in progress before the worktree exists, and removes the record when git fails', async () => {
      const { provision, get, store } = await setUp();
      const target = path.join(sandbox.root, 'acme', 'w1');
      const seen: unknown[] = [];
      const create = store.create.bind(store);
      jest
        .spyOn(store, 'create')
        .mockImplementation(async (object, context) => {
          seen.push([
            (object.status as any)?.lastAction?.result,
            fs.existsSync(target),
          ]);
          return create(object, context);
        });
      await provision('w1');
      expect(seen).toEqual([['in-progress', false]]);
      expect((await get('w1')).status.lastAction.result).toBe('succeeded');

      // A branch that exists already makes `git worktree add -b` fail after the record was made.
      await expect(provision('w2', { branch: 'agents/w1' })).rejects.toThrow(
        /provision: git worktree add/,
      );
      expect(await get('w2')).toBeUndefined();
      expect(fs.existsSync(path.join(sandbox.root, 'acme', 'w2'))).toBe(false);
    });

    it('refuses to clean up a workspace a run still works in', async () => {
      const { act, provision, store, get } = await setUp();
      await provision('w1');
      await store.create(
        {
          apiVersion: 'agents.krate.dev/v1alpha1',
          kind: 'AgentDispatchRun',
          metadata: { namespace: 'acme', name: 'fix-1' },
          spec: { stack: 'fixer', prompt: 'x', workspace: 'w1' },
          status: { phase: 'Running' },
        },
        { actor: ALICE },
      );
      await expect(act('w1', 'cleanup')).rejects.toThrow(
        'cleanup: run(s) fix-1 still work in the workspace',
      );
      // A run claimed into the workspace whose record the dispatch is about to create.
      await provision('w2');
      await new WorkspaceRuns(store).attach(
        (await get('w2')) as any,
        'fix-2',
        ALICE,
      );
      await expect(act('w2', 'cleanup')).rejects.toThrow(
        'cleanup: run(s) fix-2 still work in the workspace',
      );
      expect((await get('w1')).status.lastAction).toMatchObject({
        action: 'cleanup',
        result: 'failed',
      });
      expect(fs.existsSync(path.join(sandbox.root, 'acme', 'w1'))).toBe(true);
    });

    it('acts only on the version automation decided on', async () => {
      const { manager, provision, get } = await setUp();
      await provision('w1');
      const read = await get('w1');
      await manager.perform({
        namespace: 'acme',
        name: 'w1',
        action: 'pin',
        params: {},
        actor: ALICE,
      });
      await expect(
        manager.perform({
          namespace: 'acme',
          name: 'w1',
          action: 'archive',
          params: {},
          actor: 'service:agents-workspace-inventory',
          resourceVersion: read.metadata.resourceVersion,
        }),
      ).rejects.toThrow(/changed since it was read/);
      expect((await get('w1')).status.state).toBe('active');
    });
  });
});
