import { parseDispatchRequest } from './dispatchRequest';

const valid = {
  namespace: 'acme',
  stack: 'triage',
  prompt: 'Fix the flaky test',
};

describe('parseDispatchRequest', () => {
  it('accepts the contract fields', () => {
    expect(
      parseDispatchRequest({
        ...valid,
        repository: 'acme/payments',
        ref: 'feature/x',
        contextLabels: ['payments'],
        workspace: 'ws-1',
        workItem: 'payments-42',
      }),
    ).toEqual({
      ...valid,
      repository: 'acme/payments',
      ref: 'feature/x',
      contextLabels: ['payments'],
      workspace: 'ws-1',
      workItem: 'payments-42',
    });
  });

  it.each([
    [null, 'body'],
    [[], 'body'],
    [{ ...valid, extra: 1 }, 'extra'],
    [{ ...valid, namespace: 'Acme' }, 'namespace'],
    [{ ...valid, stack: undefined }, 'stack'],
    [{ ...valid, prompt: '   ' }, 'prompt'],
    [{ ...valid, prompt: 'x'.repeat(65537) }, 'prompt'],
    [{ ...valid, repository: 'payments' }, 'repository'],
    [{ ...valid, ref: '--upload-pack=evil' }, 'ref'],
    [{ ...valid, ref: 'a..b' }, 'ref'],
    [{ ...valid, contextLabels: 'payments' }, 'contextLabels'],
    [{ ...valid, contextLabels: ['ok', 'Not OK'] }, 'contextLabels[1]'],
    [{ ...valid, workspace: 3 }, 'workspace'],
    [{ ...valid, workItem: 'Issue 42' }, 'workItem'],
    [{ ...valid, workItem: 42 }, 'workItem'],
  ])('refuses %j naming %s', (body, field) => {
    expect(() => parseDispatchRequest(body)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}:`),
        ),
      }),
    );
  });
});
