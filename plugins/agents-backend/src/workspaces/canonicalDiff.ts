/** Settings a user's git configuration must not change: they would change the patch text. */
export const CANONICAL_DIFF_CONFIG = [
  'core.quotePath=true',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
  'diff.renames=false',
  'diff.external=',
  'color.ui=false',
].flatMap(setting => ['-c', setting]);

/**
 * `git diff` arguments for a patch that reads the same on every machine and applies anywhere:
 * binary-safe, full blob ids (so a three-way apply finds the blobs), no renames, `a/` and `b/`.
 */
export function canonicalDiffArgs(from: string, to: string): string[] {
  return [
    ...CANONICAL_DIFF_CONFIG,
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
    '--full-index',
    '--binary',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    from,
    to,
  ];
}
