import { labelValue, podOfRunId, podRunId, runnerPodName } from './podNames';

describe('pod names', () => {
  it('names the pod after the attempt, cut to 63 characters with a hash', () => {
    expect(runnerPodName('fix-tests-x7k2p-1')).toBe('krate-fix-tests-x7k2p-1');
    const long = runnerPodName(`${'a'.repeat(70)}-1`);
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^krate-a+-[0-9a-f]{8}$/);
    expect(runnerPodName(`${'a'.repeat(70)}-2`)).not.toBe(long);
  });

  it('makes label values of repository names', () => {
    expect(labelValue('acme/payments-api')).toBe('acme.payments-api');
    expect(labelValue('-x/')).toBe('x');
    expect(labelValue('o'.repeat(80))).toHaveLength(63);
  });

  it('round-trips the runtime run id and refuses others', () => {
    const ref = { namespace: 'runners', name: 'krate-a-1' };
    expect(podOfRunId(podRunId(ref))).toEqual(ref);
    expect(podOfRunId('scripted-1234')).toBeUndefined();
    expect(podOfRunId('pod/only-namespace')).toBeUndefined();
  });
});
