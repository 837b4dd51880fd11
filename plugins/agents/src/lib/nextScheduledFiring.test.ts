import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { ruleFixture } from '../__testUtils__/ruleFixtures';
import { nextScheduledFiring } from './nextScheduledFiring';

const withStatus = (status: Record<string, unknown>) =>
  ruleFixture('nightly', {
    status: status as AgentTriggerRule['status'],
  });

describe('nextScheduledFiring', () => {
  it('reads status.nextScheduledTime', () => {
    expect(
      nextScheduledFiring(
        withStatus({ nextScheduledTime: '2026-01-03T02:00:00.000Z' }),
      ),
    ).toBe('2026-01-03T02:00:00.000Z');
  });

  it('reads another next… field with a time, or an object holding one', () => {
    expect(
      nextScheduledFiring(
        withStatus({ nextSlot: { time: '2026-01-03T03:00:00.000Z' } }),
      ),
    ).toBe('2026-01-03T03:00:00.000Z');
  });

  it('answers nothing for a rule without a schedule, or a value that is no time', () => {
    expect(nextScheduledFiring(ruleFixture())).toBeUndefined();
    expect(
      nextScheduledFiring(withStatus({ nextScheduledTime: 'soon' })),
    ).toBeUndefined();
  });
});
