import { readinessOf, StackProblem, stackConditions } from './stackConditions';

const t1 = new Date('2026-01-01T00:00:00Z');
const t2 = new Date('2026-01-02T00:00:00Z');

const problem = (
  severity: StackProblem['severity'],
  reason: string,
  message: string,
): StackProblem => ({ severity, reason, message });

describe('stackConditions', () => {
  it('puts Ready first, then one condition per reason, Invalid before Warning', () => {
    const problems = [
      problem('Warning', 'McpServerUnhealthy', 'A is down.'),
      problem('Invalid', 'MissingGrant', 'No grant for x.'),
      problem('Warning', 'McpServerUnhealthy', 'B is down.'),
      problem('Invalid', 'MissingScript', 'No script.'),
    ];
    expect(readinessOf(problems)).toBe('Invalid');
    expect(stackConditions(problems, undefined, t1)).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'MissingGrant',
        message:
          'The stack cannot run (MissingGrant, MissingScript). No grant for x. No script.',
        lastTransitionTime: t1.toISOString(),
      },
      {
        type: 'Invalid',
        status: 'True',
        reason: 'MissingGrant',
        message: 'No grant for x.',
        lastTransitionTime: t1.toISOString(),
      },
      {
        type: 'Invalid',
        status: 'True',
        reason: 'MissingScript',
        message: 'No script.',
        lastTransitionTime: t1.toISOString(),
      },
      {
        type: 'Warning',
        status: 'True',
        reason: 'McpServerUnhealthy',
        message: 'A is down. B is down.',
        lastTransitionTime: t1.toISOString(),
      },
    ]);
  });

  it('keeps the transition time across message changes and moves it when the reason changes', () => {
    const first = stackConditions(
      [problem('Invalid', 'MissingReference', 'Tool profile a is missing.')],
      undefined,
      t1,
    );
    const reworded = stackConditions(
      [problem('Invalid', 'MissingReference', 'Tool profile b is missing.')],
      first,
      t2,
    );
    expect(reworded.map(c => c.lastTransitionTime)).toEqual([
      t1.toISOString(),
      t1.toISOString(),
    ]);
    expect(reworded[1].message).toBe('Tool profile b is missing.');

    const otherReason = stackConditions(
      [problem('Invalid', 'MissingScript', 'No script.')],
      reworded,
      t2,
    );
    expect(otherReason.map(c => [c.reason, c.lastTransitionTime])).toEqual([
      ['MissingScript', t2.toISOString()],
      ['MissingScript', t2.toISOString()],
    ]);
  });

  it('reads warnings alone as runnable', () => {
    const problems = [problem('Warning', 'ApprovalsAdvisory', 'Advisory.')];
    expect(readinessOf(problems)).toBe('Warning');
    expect(stackConditions(problems, undefined, t1)[0]).toMatchObject({
      type: 'Ready',
      status: 'True',
      reason: 'ResolvedWithWarnings',
    });
    expect(readinessOf([])).toBe('Ready');
  });
});
