import { AgentWorkspace } from '@krate/plugin-agents-common';
import { workspaceFixture } from '../../__testUtils__/workspaceFixture';
import { attentionFlags, gitSummary, ownerOf } from './workspaceFlags';

describe('workspaceFlags', () => {
  it('flags missing, dirty and conflicted workspaces from their status', () => {
    expect(attentionFlags(workspaceFixture('ok'))).toEqual([]);
    const troubled: AgentWorkspace = workspaceFixture('bad', {
      status: {
        state: 'active',
        pathMissing: true,
        git: { dirty: true, conflictingFiles: ['a.js'] },
      },
    });
    expect(attentionFlags(troubled)).toEqual([
      'missing',
      'dirty',
      'conflicted',
    ]);
    expect(
      attentionFlags(
        workspaceFixture('rebasing', {
          status: { git: { rebaseInProgress: true } },
        }),
      ),
    ).toEqual(['conflicted']);
  });

  it('summarizes git state and ownership', () => {
    expect(
      gitSummary(
        workspaceFixture('w', {
          status: {
            git: { dirty: true, uncommittedCount: 3, ahead: 2, behind: 1 },
          },
        }),
      ),
    ).toBe('dirty (3) · 2 ahead · 1 behind');
    expect(gitSummary(workspaceFixture('w', { status: {} }))).toBe('—');
    expect(ownerOf(workspaceFixture('w'))).toBe('dispatch-run run-1');
  });
});
