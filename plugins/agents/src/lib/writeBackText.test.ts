import { artifactFixture, DIGEST } from '../__testUtils__/artifactFixtures';
import { approvalFixture } from '../__testUtils__/fixtures';
import {
  approvalProgress,
  describeOperation,
  shortDigest,
  voidReason,
} from './writeBackText';

const binding = {
  artifact: 'run-1-1-rounding-fix',
  digest: DIGEST,
  writeBack: 'wb-1',
  target: 'github',
  operation: { operation: 'pull-request', branch: 'agents/run-1' },
};

describe('writeBackText', () => {
  it('shortens digests and describes operations', () => {
    expect(shortDigest(DIGEST)).toBe('sha256:111111111111');
    expect(shortDigest('abcdef0123456789')).toBe('abcdef012345');
    expect(
      describeOperation({
        operation: 'pull-request',
        branch: 'agents/run-1',
        base: 'main',
      }),
    ).toBe('pull request agents/run-1 → main');
    expect(
      describeOperation({
        operation: 'review',
        number: 12,
        reviewEvent: 'APPROVE',
      }),
    ).toBe('pull request review on #12 (APPROVE)');
    expect(describeOperation({ operation: 'issue-comment', number: 3 })).toBe(
      'issue comment on #3',
    );
  });

  it('counts approvals towards the required number', () => {
    expect(
      approvalProgress(
        approvalFixture('ap', {
          spec: { requiredApprovals: 3 },
          status: {
            state: 'pending',
            approvals: [{ by: 'user:default/a', time: '2026-01-01T00:00:00Z' }],
          },
        }),
      ),
    ).toMatchObject({ approved: 1, required: 3 });
    expect(
      approvalProgress(
        approvalFixture('ap', {
          status: { state: 'approved', decidedBy: 'user:default/b' },
        }),
      ),
    ).toMatchObject({
      approved: 1,
      required: 1,
      votes: [{ by: 'user:default/b' }],
    });
  });

  it('says why a write-back approval is void', () => {
    const approval = approvalFixture('ap', { spec: { binding } });
    expect(
      voidReason(approval, artifactFixture('run-1-1-rounding-fix')),
    ).toBeUndefined();
    expect(
      voidReason(
        approval,
        artifactFixture('run-1-1-rounding-fix', {
          status: { state: 'superseded', supersededBy: 'run-1-1-fix-2' },
        }),
      ),
    ).toBe(
      'void — the diff changed: artifact run-1-1-rounding-fix was superseded by run-1-1-fix-2',
    );
    expect(
      voidReason(
        approval,
        artifactFixture('run-1-1-rounding-fix', {
          spec: { digest: `sha256:${'2'.repeat(64)}` },
        }),
      ),
    ).toBe(
      'void — the diff changed: artifact run-1-1-rounding-fix is now sha256:222222222222, not the approved sha256:111111111111',
    );
    expect(
      voidReason(
        approvalFixture('ap', {
          spec: { binding },
          status: { state: 'void', reason: 'artifact X was superseded by Y' },
        }),
      ),
    ).toBe('void — the diff changed: artifact X was superseded by Y');
    expect(voidReason(approvalFixture('ap'))).toBeUndefined();
  });
});
