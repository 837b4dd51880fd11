/** Reads `read` every 100 ms until `done` holds; fails after `timeoutMs` with the last value. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out; last: ${JSON.stringify(value)}`);
    }
    await new Promise(r => setTimeout(r, 100));
  }
}
