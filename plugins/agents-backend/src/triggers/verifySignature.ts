import { createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';

function header(headers: IncomingHttpHeaders, name: string) {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether the raw body carries the HMAC-SHA256 of the endpoint's secret, as GitHub sends it
 * (`X-Hub-Signature-256: sha256=<hex>`) or as Gitea does (`X-Gitea-Signature: <hex>`).
 */
export function hasValidSignature(
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string,
): boolean {
  const given =
    header(headers, 'x-hub-signature-256')?.replace(/^sha256=/, '') ??
    header(headers, 'x-gitea-signature');
  if (!given || !/^[0-9a-f]{64}$/i.test(given)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}
