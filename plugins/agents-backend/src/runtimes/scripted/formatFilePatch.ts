import { structuredPatch } from 'diff';

/** One side of a file change; absent when the file does not exist on that side. */
export interface FileVersion {
  content: Buffer;
  /** Git file mode: 100644, 100755 or 120000 (a symlink, whose content is its target). */
  mode: string;
}

/** Git's test for binary content: a NUL byte in the first 8000 bytes. */
function isBinary(content: Buffer) {
  return content.subarray(0, 8000).includes(0);
}

/** The lines of `text` marked with `sign`, and git's marker when the last line has no newline. */
function allLines(text: string, sign: '+' | '-') {
  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  const marked = lines.map(line => `${sign}${line}`);
  return {
    count: lines.length,
    lines: endsWithNewline
      ? marked
      : [...marked, '\\ No newline at end of file'],
  };
}

function hunksOf(oldText: string, newText: string): string[] {
  // jsdiff marks a missing final newline on an empty side; git does not.
  if (!oldText) {
    const added = allLines(newText, '+');
    return [`@@ -0,0 +1,${added.count} @@`, ...added.lines];
  }
  if (!newText) {
    const removed = allLines(oldText, '-');
    return [`@@ -1,${removed.count} +0,0 @@`, ...removed.lines];
  }
  const patch = structuredPatch(
    '',
    '',
    oldText,
    newText,
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  return patch.hunks.flatMap(hunk => {
    // Unified diff quirk: an empty range starts one line lower.
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    return [
      `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`,
      ...hunk.lines,
    ];
  });
}

/**
 * A git-style unified diff of one file (`diff --git` header, mode lines, hunks) that
 * `git apply` accepts. Binary files get git's "Binary files … differ" line. Empty when nothing
 * changed.
 */
export function formatFilePatch(
  file: string,
  before: FileVersion | undefined,
  after: FileVersion | undefined,
): string {
  if (
    before &&
    after &&
    before.mode === after.mode &&
    before.content.equals(after.content)
  ) {
    return '';
  }
  const oldName = before ? `a/${file}` : '/dev/null';
  const newName = after ? `b/${file}` : '/dev/null';
  const lines = [`diff --git a/${file} b/${file}`];
  if (!before) {
    lines.push(`new file mode ${after!.mode}`);
  } else if (!after) {
    lines.push(`deleted file mode ${before.mode}`);
  } else if (before.mode !== after.mode) {
    lines.push(`old mode ${before.mode}`, `new mode ${after.mode}`);
  }
  const oldContent = before?.content ?? Buffer.alloc(0);
  const newContent = after?.content ?? Buffer.alloc(0);
  if (!oldContent.equals(newContent)) {
    if (isBinary(oldContent) || isBinary(newContent)) {
      lines.push(`Binary files ${oldName} and ${newName} differ`);
    } else {
      lines.push(
        `--- ${oldName}`,
        `+++ ${newName}`,
        ...hunksOf(oldContent.toString('utf8'), newContent.toString('utf8')),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
