import {
  fieldValueProblems,
  isEntityRef,
  isIsoDate,
  isRepositorySlug,
} from './fieldValueProblems';

describe('fieldValueProblems', () => {
  it('tells entity refs, repository slugs and ISO dates', () => {
    expect(
      [
        'group:default/payments',
        'user:ana',
        'payments',
        'group:/x',
        ':a/b',
      ].map(isEntityRef),
    ).toEqual([true, true, false, false, false]);
    expect(
      ['acme/payments-api', 'acme/payments.js', 'acme', 'a/b/c'].map(
        isRepositorySlug,
      ),
    ).toEqual([true, true, false, false]);
    expect(
      [
        '2024-05-01',
        '2024-05-01T10:30:00Z',
        '2024-05-01T10:30+02:00',
        '2024-02-30',
        '2024-5-1',
        '2024-05-01T25:00Z',
        'yesterday',
      ].map(isIsoDate),
    ).toEqual([true, true, true, false, false, false, false]);
  });

  it('names the item of a list that has the wrong type', () => {
    expect(
      fieldValueProblems(
        'reviewers',
        ['user:default/ana', 'bob', 7],
        'entityRefList',
      ),
    ).toEqual([
      {
        field: 'reviewers[1]',
        message: "must be an entity ref like group:default/payments, not 'bob'",
      },
      { field: 'reviewers[2]', message: 'must be a string, not a number' },
    ]);
    expect(
      fieldValueProblems('status', 'done', { enum: ['proposed', 'accepted'] }),
    ).toEqual([
      {
        field: 'status',
        message: "must be one of proposed, accepted, not 'done'",
      },
    ]);
    expect(fieldValueProblems('tier', '  ', 'string')).toEqual([
      { field: 'tier', message: 'must not be blank' },
    ]);
  });
});
