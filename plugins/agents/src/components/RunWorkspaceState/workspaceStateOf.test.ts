import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { workspaceStateOf } from './workspaceStateOf';

describe('workspaceStateOf', () => {
  it('orders missing before conflicts before rebase needed, and is quiet otherwise', () => {
    expect(workspaceStateOf(undefined)).toEqual({
      state: 'WorkspaceMissing',
      recordGone: true,
    });
    expect(
      workspaceStateOf(
        workspaceFixture('ws', {
          status: {
            state: 'active',
            pathMissing: true,
            git: { conflictingFiles: ['a'] },
          },
        }),
      ),
    ).toEqual({ state: 'WorkspaceMissing', recordGone: false });
    expect(
      workspaceStateOf(
        workspaceFixture('ws', {
          status: { git: { rebaseInProgress: true, behind: 4 } },
        }),
      ),
    ).toEqual({ state: 'WorkspaceConflicts', files: [] });
    expect(
      workspaceStateOf(
        workspaceFixture('ws', { status: { git: { behind: 1 } } }),
      ),
    ).toEqual({ state: 'WorkspaceRebaseNeeded', behind: 1, onto: undefined });
    expect(workspaceStateOf(workspaceFixture('ws'))).toBeUndefined();
  });
});
