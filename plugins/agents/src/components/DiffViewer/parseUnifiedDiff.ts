export interface DiffLine {
  kind: 'context' | 'add' | 'remove' | 'note';
  text: string;
  oldLine?: number;
  newLine?: number;
}

export interface DiffFile {
  oldPath?: string;
  newPath?: string;
  /** `diff --git`, `new file mode`, `index` … lines before the first hunk. */
  header: string[];
  hunks: { header: string; lines: DiffLine[] }[];
}

const stripPrefix = (path: string) =>
  path === '/dev/null' ? undefined : path.replace(/^[ab]\//, '');

/** Parses `git diff` / unified diff text into files, hunks and numbered lines. */
export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  let hunk: DiffFile['hunks'][number] | undefined;
  let oldLine = 0;
  let newLine = 0;
  const startFile = () => {
    file = { header: [], hunks: [] };
    hunk = undefined;
    files.push(file);
    return file;
  };

  const lines = text.replace(/\n$/, '').split('\n');
  lines.forEach((line, index) => {
    if (line.startsWith('diff --git ')) {
      startFile().header.push(line);
      return;
    }
    // Inside a hunk, `--- ` is a removed line unless a `+++ ` header follows.
    if (
      line.startsWith('--- ') &&
      (!file || (hunk && lines[index + 1]?.startsWith('+++ ')))
    ) {
      startFile();
    }
    if (line.startsWith('--- ') && file && !hunk) {
      file.oldPath = stripPrefix(line.slice(4).split('\t')[0]);
      return;
    }
    if (line.startsWith('+++ ') && file && !hunk) {
      file.newPath = stripPrefix(line.slice(4).split('\t')[0]);
      return;
    }
    const range = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (range) {
      const target = file ?? startFile();
      hunk = { header: line, lines: [] };
      target.hunks.push(hunk);
      oldLine = Number(range[1]);
      newLine = Number(range[2]);
      return;
    }
    if (!hunk) {
      (file ?? startFile()).header.push(line);
      return;
    }
    if (line.startsWith('+')) {
      hunk.lines.push({ kind: 'add', text: line.slice(1), newLine: newLine++ });
    } else if (line.startsWith('-')) {
      hunk.lines.push({
        kind: 'remove',
        text: line.slice(1),
        oldLine: oldLine++,
      });
    } else if (line.startsWith('\\')) {
      hunk.lines.push({ kind: 'note', text: line });
    } else {
      hunk.lines.push({
        kind: 'context',
        text: line.slice(1),
        oldLine: oldLine++,
        newLine: newLine++,
      });
    }
  });
  return files;
}
