import { AgentTriggerRule } from '@krate/plugin-agents-common';
import { decideConcurrency } from './decideConcurrency';

const rule = (spec: Partial<AgentTriggerRule['spec']>): AgentTriggerRule =>
  ({
    metadata: { name: 'ready', namespace: 'acme' },
    spec: { source: { events: ['label'] }, stack: 's', ...spec },
  } as AgentTriggerRule);

const busy = { dedupeKey: 'k', activeRuns: ['r2', 'r1'], sameKey: ['r2'] };

describe('decideConcurrency', () => {
  it('dispatches when nothing with the same key is active', () => {
    expect(
      decideConcurrency(rule({ concurrency: { policy: 'forbid' } }), {
        dedupeKey: 'k',
        activeRuns: ['r1'],
        sameKey: [],
      }),
    ).toEqual({ outcome: 'dispatched' });
  });

  it('coalesces into the newest active run with the same key, by default when there is a dedupe key', () => {
    const expected = {
      outcome: 'coalesced',
      joins: 'r2',
      reason: 'joins active run r2 with dedupe key k',
    };
    expect(
      decideConcurrency(rule({ dedupeKeyTemplate: '{{x}}' }), busy),
    ).toEqual(expected);
    expect(
      decideConcurrency(rule({ concurrency: { policy: 'coalesce' } }), busy),
    ).toEqual(expected);
  });

  it('rejects under forbid, and replaces under replace', () => {
    expect(
      decideConcurrency(rule({ concurrency: { policy: 'forbid' } }), busy),
    ).toEqual({
      outcome: 'rejected',
      reason: 'run r2 with dedupe key k is still active (concurrency forbid)',
    });
    expect(
      decideConcurrency(rule({ concurrency: { policy: 'replace' } }), busy),
    ).toEqual({
      outcome: 'dispatched',
      replaces: ['r2'],
      reason: 'would cancel r2 with the same dedupe key (concurrency replace)',
    });
  });

  it('rejects at maxConcurrentRuns, not counting runs a replace cancels', () => {
    expect(
      decideConcurrency(
        rule({ concurrency: { policy: 'allow', maxConcurrentRuns: 2 } }),
        busy,
      ),
    ).toEqual({
      outcome: 'rejected',
      reason: 'maxConcurrentRuns 2 reached: r2, r1 are active',
    });
    expect(
      decideConcurrency(
        rule({ concurrency: { policy: 'replace', maxConcurrentRuns: 2 } }),
        busy,
      ).outcome,
    ).toBe('dispatched');
  });
});
