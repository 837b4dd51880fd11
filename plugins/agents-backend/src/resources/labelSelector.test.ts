import { matchesLabels, parseLabelSelector } from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator', () => {
    expect(
      parseLabelSelector(
        'team=payments,tier!=gold, env in (dev, stage),zone notin (eu),managed,!legacy',
      ),
    ).toEqual([
      { key: 'team', operator: 'in', values: ['payments'] },
      { key: 'tier', operator: 'notin', values: ['gold'] },
      { key: 'env', operator: 'in', values: ['dev', 'stage'] },
      { key: 'zone', operator: 'notin', values: ['eu'] },
      { key: 'managed', operator: 'exists', values: [] },
      { key: 'legacy', operator: 'doesnotexist', values: [] },
    ]);
  });

  it.each(['team=a b', 'in (x)', 'team=pay$ments', '=x', 'env in (a,b'])(
    'rejects %p with a 400 that names labelSelector',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringMatching(/^labelSelector: /),
        }),
      );
    },
  );
});

describe('matchesLabels', () => {
  const labels = { team: 'payments', env: 'dev' };
  it.each([
    ['team=payments', true],
    ['team=platform', false],
    ['env in (dev,stage)', true],
    ['env notin (dev)', false],
    ['missing notin (dev)', true],
    ['team', true],
    ['!team', false],
    ['!missing,team=payments', true],
  ])('%p → %p', (selector, expected) => {
    expect(matchesLabels(labels, parseLabelSelector(selector))).toBe(expected);
  });
});
