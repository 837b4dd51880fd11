import { gitSandbox, git, commit } from '../__testUtils__/gitFixtures';
import { createTestStore } from '../__testUtils__/createTestStore';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { GitCli } from './GitCli';
import { readWorkspaceGitState } from './WorkspaceGitState';
import { WorkspaceManager } from './WorkspaceManager';
import { nextStatus } from './workspaceStatus';

const databases = createTestDatabases();

describe('the git state a provision records', () => {
  let sandbox: ReturnType<typeof gitSandbox>;
  afterEach(() => sandbox?.cleanup());

  it('is what reading the new worktree gives', async () => {
    sandbox = gitSandbox();
    // A second commit on main, and a tag on the first: the workspace starts from the older one.
    const first = git(sandbox.repo, 'rev-parse', 'HEAD').trim();
    commit(sandbox.repo, 'src/later.js', 'later\n');
    git(sandbox.repo, 'tag', 'v1', first);
    const [[id]] = databases.eachSupportedId();
    const { store } = await createTestStore(databases, id);
    const manager = WorkspaceManager.create({
      store,
      root: sandbox.root,
      repositoryRoots: [sandbox.base],
    });
    const result = await manager.perform({
      namespace: 'acme',
      name: 'w1',
      action: 'provision',
      params: {
        repository: 'acme/payments-api',
        repositoryPath: sandbox.repo,
        ref: 'v1',
        trustTier: 'trusted',
      },
      actor: 'user:default/alice',
    });

    const read = await readWorkspaceGitState(
      new GitCli(),
      (await store.get('AgentWorkspace', 'acme', 'w1'))!.spec.path as string,
    );
    const fromRead = nextStatus(undefined, read, result.action, {
      state: 'active',
    });
    expect(result.status.git).toEqual(fromRead.git);
    expect(result.status.git).toMatchObject({ headSha: first, dirty: false });
    expect(result.status.lastActivityTime).toBe(fromRead.lastActivityTime);
  });
});
