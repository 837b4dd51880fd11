import { runFixture } from '../../__testUtils__/fixtures';
import { unavailableReason } from './actionRules';

const resumable = {
  id: 'scripted',
  displayName: 'Scripted',
  capabilities: { resume: true },
};
const oneShot = {
  id: 'codex',
  displayName: 'Codex',
  capabilities: { resume: false },
};

describe('unavailableReason', () => {
  it('follows the action table of dispatch.md', () => {
    const failed = runFixture('r', {
      status: { phase: 'Failed', session: 's' },
    });
    const succeeded = runFixture('r', {
      status: { phase: 'Succeeded', session: 's' },
    });
    const running = runFixture('r', { status: { phase: 'Running' } });
    const noSession = runFixture('r', { status: { phase: 'Failed' } });

    expect(unavailableReason('cancel', running)).toBeUndefined();
    expect(unavailableReason('cancel', failed)).toMatch(/already failed/);
    expect(unavailableReason('retry', running)).toMatch(/cancel it first/);
    expect(unavailableReason('retry', succeeded)).toBeUndefined();
    expect(unavailableReason('resume', failed, resumable)).toBeUndefined();
    expect(unavailableReason('resume', succeeded, resumable)).toMatch(
      /failed or cancelled/,
    );
    expect(unavailableReason('resume', failed, oneShot)).toMatch(
      /Codex runtime cannot resume/,
    );
    expect(unavailableReason('fork', succeeded, resumable)).toBeUndefined();
    expect(unavailableReason('fork', noSession, resumable)).toMatch(
      /no session/,
    );
    expect(unavailableReason('continue', succeeded)).toBeUndefined();
    expect(unavailableReason('continue', noSession)).toMatch(/no session/);
  });
});
