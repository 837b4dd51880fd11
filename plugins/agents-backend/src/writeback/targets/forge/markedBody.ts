/**
 * The text a write-back posts: `body`, a blank line and the hidden `marker` it is found by again.
 */
export function markedBody(body: string | undefined, marker: string) {
  const text = (body ?? '').trimEnd();
  if (text.endsWith(marker)) {
    return text;
  }
  return text ? `${text}\n\n${marker}` : marker;
}
