/** Where `part` ends inside `whole` when its characters appear there in order; -1 when not. */
function subsequenceEnd(part: string, whole: string): number {
  let at = 0;
  for (const char of part) {
    at = whole.indexOf(char, at);
    if (at < 0) {
      return -1;
    }
    at += 1;
  }
  return at;
}

/**
 * What of a message's final text still has to be emitted, given the chunks already emitted from
 * its deltas and the delta text not emitted yet. The final text replaces the pending deltas.
 * Lost deltas leave the emitted chunks a subsequence of the final text: the rest follows where
 * they end. A final text the deltas do not belong to leaves the deltas as they are.
 */
export function unseenTail(
  final: string,
  emitted: string,
  pending: string,
): string {
  if (final.startsWith(emitted)) {
    return final.slice(emitted.length);
  }
  const end = subsequenceEnd(emitted, final);
  return end < 0 ? pending : final.slice(end);
}
