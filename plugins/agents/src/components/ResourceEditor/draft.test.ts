import { getIn, setIn } from './draft';

describe('setIn', () => {
  it('sets nested values without touching the original', () => {
    const original = { spec: { runtime: 'scripted' } };
    const next = setIn(original, ['spec', 'runnerPolicy', 'pool'], 'gpu');
    expect(next).toEqual({
      spec: { runtime: 'scripted', runnerPolicy: { pool: 'gpu' } },
    });
    expect(original).toEqual({ spec: { runtime: 'scripted' } });
  });

  it('removes cleared values and the objects they leave empty', () => {
    const draft = {
      spec: { runtime: 'scripted', runnerPolicy: { pool: 'gpu' } },
    };
    expect(setIn(draft, ['spec', 'runnerPolicy', 'pool'], '')).toEqual({
      spec: { runtime: 'scripted' },
    });
    expect(getIn(draft, ['spec', 'runnerPolicy', 'pool'])).toBe('gpu');
  });
});
