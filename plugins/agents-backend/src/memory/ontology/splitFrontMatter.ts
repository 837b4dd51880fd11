/** A Markdown file cut into its front matter (the YAML between the `---` lines) and its body. */
export interface FrontMatterSplit {
  /** Undefined when the file does not open with a `---` line. */
  frontMatter?: string;
  body: string;
  bodyLineOffset: number;
}

/** The first line of a front matter's YAML is the file's second line. */
export const FRONT_MATTER_FIRST_LINE = 2;

function isFence(line: string): boolean {
  return line.trimEnd() === '---';
}

/**
 * Splits a file at its front matter, which opens with a first line `---` and closes with the
 * next `---` line (`\r\n` line ends too). Undefined when the opening line is never closed.
 */
export function splitFrontMatter(text: string): FrontMatterSplit | undefined {
  const withoutBom = text.replace(/^\uFEFF/, '');
  const lines = withoutBom.split('\n');
  if (!isFence(lines[0])) return { body: withoutBom, bodyLineOffset: 0 };
  const closing = lines.findIndex((line, index) => index > 0 && isFence(line));
  if (closing === -1) return undefined;
  return {
    frontMatter: lines
      .slice(1, closing)
      .map(line => line.replace(/\r$/, ''))
      .join('\n'),
    body: lines.slice(closing + 1).join('\n'),
    bodyLineOffset: closing + 1,
  };
}
