import { ReviewInput, reviewProblems, reviewRequest } from './reviewRequest';

const input = (overrides: Partial<ReviewInput> = {}): ReviewInput => ({
  subjectKind: 'user',
  subjectName: 'user:default/alice',
  about: 'action',
  action: 'agents.run.create',
  stack: 'payments-triage',
  repository: '',
  ...overrides,
});

describe('reviewProblems', () => {
  it('accepts a user with an action, and a service account with a stack and repository', () => {
    expect(reviewProblems(input())).toEqual({});
    // The server completes a short name to the entity ref.
    expect(
      reviewProblems(input({ subjectKind: 'team', subjectName: 'payments' })),
    ).toEqual({});
    expect(
      reviewProblems(
        input({
          subjectKind: 'service-account',
          subjectName: 'agent-bot',
          about: 'stack',
          action: '',
          repository: 'acme/payments-api',
        }),
      ),
    ).toEqual({});
  });

  it('names each field that is missing or malformed', () => {
    expect(
      reviewProblems(
        input({ subjectName: ' ', action: '', repository: 'payments-api' }),
      ),
    ).toEqual({
      subjectName: 'Name the subject to review',
      action: 'Choose the permission to review',
      repository: 'A repository is <org>/<repository>',
    });
    expect(reviewProblems(input({ about: 'stack', stack: '' }))).toEqual({
      stack: 'Choose the stack to review',
    });
  });
});

describe('reviewRequest', () => {
  it('asks about the action or the stack chosen, never both, with the repository when set', () => {
    expect(reviewRequest('acme', input())).toEqual({
      namespace: 'acme',
      subject: { kind: 'user', name: 'user:default/alice' },
      action: 'agents.run.create',
    });
    expect(
      reviewRequest(
        'acme',
        input({ about: 'stack', repository: ' acme/payments-api ' }),
      ),
    ).toEqual({
      namespace: 'acme',
      subject: { kind: 'user', name: 'user:default/alice' },
      stack: 'payments-triage',
      repository: 'acme/payments-api',
    });
  });
});
