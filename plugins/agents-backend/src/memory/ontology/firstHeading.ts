import { proseLines } from './proseLines';

const LEVEL_ONE_HEADING = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** The text of a Markdown body's first `# ` heading, if it has one. */
export function firstHeading(body: string): string | undefined {
  for (const line of proseLines(body)) {
    const text = LEVEL_ONE_HEADING.exec(line)?.[1];
    if (text) return text;
  }
  return undefined;
}
