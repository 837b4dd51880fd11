import { parseUnifiedDiff } from './parseUnifiedDiff';

describe('parseUnifiedDiff', () => {
  it('reads files, hunks and line numbers of a git diff', () => {
    const files = parseUnifiedDiff(
      [
        'diff --git a/src/rounding.js b/src/rounding.js',
        '--- a/src/rounding.js',
        '+++ b/src/rounding.js',
        '@@ -3,2 +3,3 @@',
        ' keep',
        '-exports.toCents = amount => Math.floor(amount * 100);',
        '+exports.toCents = amount => Math.round(amount * 100);',
        '+// added',
        '\\ No newline at end of file',
        'diff --git a/new.txt b/new.txt',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/new.txt',
        '@@ -0,0 +1,1 @@',
        '+hello',
        '',
      ].join('\n'),
    );
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      oldPath: 'src/rounding.js',
      newPath: 'src/rounding.js',
    });
    expect(files[0].hunks[0].lines).toEqual([
      { kind: 'context', text: 'keep', oldLine: 3, newLine: 3 },
      {
        kind: 'remove',
        text: 'exports.toCents = amount => Math.floor(amount * 100);',
        oldLine: 4,
      },
      {
        kind: 'add',
        text: 'exports.toCents = amount => Math.round(amount * 100);',
        newLine: 4,
      },
      { kind: 'add', text: '// added', newLine: 5 },
      { kind: 'note', text: '\\ No newline at end of file' },
    ]);
    expect(files[1].oldPath).toBeUndefined();
    expect(files[1].newPath).toBe('new.txt');
    expect(files[1].header).toContain('new file mode 100644');
  });

  it('reads a plain unified diff without git headers', () => {
    const files = parseUnifiedDiff(
      '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n--- c\n+++ d\n@@ -1 +1 @@\n-p\n+q\n',
    );
    expect(files.map(f => [f.oldPath, f.newPath])).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
