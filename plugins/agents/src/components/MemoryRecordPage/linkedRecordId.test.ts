import { linkedRecordId } from './linkedRecordId';

describe('linkedRecordId', () => {
  it('resolves links relative to the record, from the root, and through ..', () => {
    expect(linkedRecordId('services/payments-api.md', 'ledger.md')).toEqual({
      id: 'services/ledger',
    });
    expect(
      linkedRecordId(
        'services/payments-api.md',
        '../glossary/idempotency-key.md#why',
      ),
    ).toEqual({ id: 'glossary/idempotency-key', fragment: 'why' });
    expect(linkedRecordId('a/b/c.md', '/teams/payments.md')).toEqual({
      id: 'teams/payments',
    });
    expect(linkedRecordId('MEMORY.md', 'services/my%20service.md')).toEqual({
      id: 'services/my service',
    });
  });

  it('leaves URLs, images, anchors and paths above the repository alone', () => {
    expect(
      linkedRecordId('services/a.md', 'https://example.test/x.md'),
    ).toBeUndefined();
    expect(linkedRecordId('services/a.md', '//host/x.md')).toBeUndefined();
    expect(linkedRecordId('services/a.md', 'diagram.png')).toBeUndefined();
    expect(linkedRecordId('services/a.md', '#heading')).toBeUndefined();
    expect(linkedRecordId('services/a.md', '../../up.md')).toBeUndefined();
    expect(linkedRecordId('services/a.md', '%E0%A4%A.md')).toBeUndefined();
  });
});
