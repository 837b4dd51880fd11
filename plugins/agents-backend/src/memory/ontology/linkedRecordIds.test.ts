import { linkedRecordIds } from './linkedRecordIds';

describe('linkedRecordIds', () => {
  it('resolves links to Markdown files relative to the record', () => {
    const body = [
      'The [team](../teams/payments.md#on-call) and [its lead](./people/ana.md).',
      'Again [the team](../teams/payments.md), from [the root](/MEMORY.md).',
      'A [spaced name](<../runbooks/on call.md> "title") and [encoded](../runbooks/on%20call.md).',
      '[ledger]: ledger.md',
    ].join('\n');

    expect(linkedRecordIds('services/payments-api.md', body)).toEqual([
      'teams/payments',
      'services/people/ana',
      'MEMORY',
      'runbooks/on call',
      'services/ledger',
    ]);
  });

  it('leaves out links out of the repository, to other files, in code and to itself', () => {
    const body = [
      '[web](https://example.com/a.md) [mail](mailto:a@b.md) [other](//host/a.md)',
      '[above the root](../../outside.md) [image](../diagram.png) [anchor](#top)',
      '`[in code](../teams/a.md)` [self](payments-api.md#usage)',
      '```markdown',
      '[in a fence](../teams/b.md)',
      '```',
    ].join('\n');

    expect(linkedRecordIds('services/payments-api.md', body)).toEqual([]);
  });
});
