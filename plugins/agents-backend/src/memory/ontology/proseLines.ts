const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** A Markdown body's lines outside fenced code blocks, where links and headings are code. */
export function proseLines(body: string): string[] {
  const prose: string[] = [];
  let openFence: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const fence = FENCE.exec(line)?.[1];
    if (openFence === undefined) {
      if (fence) openFence = fence;
      else prose.push(line);
    } else if (
      fence &&
      fence[0] === openFence[0] &&
      fence.length >= openFence.length &&
      line.trim() === fence
    ) {
      openFence = undefined;
    }
  }
  return prose;
}
