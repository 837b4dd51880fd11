/** Quotes a value for the POSIX shell the CLIs run hook and helper commands with. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
