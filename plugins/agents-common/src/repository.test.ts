import { AGENTS_REPOSITORY_ANNOTATION } from './constants';
import { getAgentsRepositoryRef, parseAgentsRepositoryRef } from './repository';

describe('parseAgentsRepositoryRef', () => {
  it('splits an org/repository slug', () => {
    expect(parseAgentsRepositoryRef('acme/payments-api')).toEqual({
      org: 'acme',
      repository: 'payments-api',
    });
  });

  it.each([
    [undefined],
    [''],
    ['payments-api'],
    ['acme/payments/api'],
    ['acme/'],
    ['/payments'],
    ['acme/../etc'],
    ['ac me/payments'],
  ])('rejects %p', slug => {
    expect(parseAgentsRepositoryRef(slug)).toBeUndefined();
  });
});

describe('getAgentsRepositoryRef', () => {
  it('reads the annotation of an entity', () => {
    const entity = {
      metadata: {
        annotations: { [AGENTS_REPOSITORY_ANNOTATION]: 'acme/web' },
      },
    };
    expect(getAgentsRepositoryRef(entity)).toEqual({
      org: 'acme',
      repository: 'web',
    });
  });

  it('is undefined for an entity without the annotation', () => {
    expect(getAgentsRepositoryRef({ metadata: {} })).toBeUndefined();
  });
});
