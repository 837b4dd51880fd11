import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** Whether `value` is a ULID: 26 Crockford base32 characters whose time fits 48 bits. */
export function isUlid(value: unknown): value is string {
  return typeof value === 'string' && ULID.test(value);
}

/** A new ULID: 48 bits of milliseconds, then 80 random bits. */
export function generateUlid(now: number = Date.now()): string {
  let time = '';
  let rest = Math.floor(now);
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) {
    random += CROCKFORD[bytes[i] % 32];
  }
  const id = time + random;
  if (!isUlid(id)) {
    throw new Error(`Generated an invalid run id ${id}`);
  }
  return id;
}
