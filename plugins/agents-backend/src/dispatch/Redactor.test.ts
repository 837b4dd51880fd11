import { REDACTED, Redactor } from './Redactor';

describe('Redactor', () => {
  const redactor = new Redactor(['s3cr3t-gateway-token']);

  it('removes configured secret values wherever they appear', () => {
    const { text, count } = redactor.redact(
      'curl -H "x: s3cr3t-gateway-token" && echo s3cr3t-gateway-token',
    );
    expect(text).not.toContain('s3cr3t-gateway-token');
    expect(count).toBe(2);
  });

  it.each([
    ['an AWS key', 'key AKIAABCDEFGHIJKLMNOP here'],
    ['a GitHub token', `ghp_${'a'.repeat(36)}`],
    ['an API key', `sk-ant-${'b'.repeat(30)}`],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop1234'],
    ['a JWT', 'eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2QT4f'],
    ['an assignment', 'DB_PASSWORD=hunter22hunter'],
    [
      'a private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
    ],
  ])('removes %s', (_what, input) => {
    const { text, count } = redactor.redact(input);
    expect(text).toContain(REDACTED);
    expect(count).toBeGreaterThan(0);
  });

  it('leaves ordinary text alone', () => {
    const text = 'npm test -- --watch=false in src/tokenizer.ts';
    expect(redactor.redact(text)).toEqual({ text, count: 0 });
  });

  it('keeps JSON valid when a secret sits next to escapes', () => {
    const value = { command: 'export token=abcdef123456\\"; echo "done"' };
    const redacted = redactor.redactJson(value);
    expect(redacted.command).toContain(`token=${REDACTED}`);
    expect(redacted.command).toContain('echo "done"');
  });
});
