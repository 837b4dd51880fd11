import { MAX_DOCUMENT_DEPTH } from '@krate/plugin-agents-common';

/** A body a hostile client sends, what it attacks, and what the apply route must answer. */
export interface HostileBody {
  name: string;
  contentType: string;
  body: string | Buffer;
  /** Extra request headers. */
  headers?: Record<string, string>;
  status: number;
  /** The problem the answer names, on every route for JSON and on /apply for YAML. */
  message: RegExp;
}

const JSON_TYPE = 'application/json';
const YAML_TYPE = 'application/yaml';
const TOO_DEEP = new RegExp(`nests deeper than ${MAX_DOCUMENT_DEPTH} levels`);
const MEGABYTE = 1024 * 1024;

function deepJsonObject(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

/** Billions of values from a few lines: each anchor repeats the one before nine times. */
const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
].join('\n');

function blockNested(levels: number): string {
  const lines: string[] = [];
  for (let i = 0; i < levels; i++) lines.push(`${' '.repeat(i)}a:`);
  return `${lines.join('\n')} leaf\n`;
}

const stack = (spec: string) =>
  [
    'apiVersion: agents.krate.dev/v1alpha1',
    'kind: AgentStack',
    'metadata: { name: hostile, namespace: acme }',
    spec,
  ].join('\n');

/** The hostile-input corpus: every class of bad structure the API must refuse with a 4xx. */
export const HOSTILE_BODIES: HostileBody[] = [
  {
    name: 'JSON nested 5,000 levels',
    contentType: JSON_TYPE,
    body: deepJsonObject(5_000),
    status: 400,
    message: TOO_DEEP,
  },
  {
    name: 'JSON array nested 500,000 levels',
    contentType: JSON_TYPE,
    body: `${'['.repeat(500_000)}${']'.repeat(500_000)}`,
    status: 400,
    message: TOO_DEEP,
  },
  {
    name: 'JSON with a duplicate key',
    contentType: JSON_TYPE,
    body: '{"metadata":{"name":"a","name":"b"},"spec":{}}',
    status: 400,
    message: /body\.metadata: the key 'name' appears more than once/,
  },
  {
    name: 'JSON with a duplicate key spelled with an escape',
    contentType: JSON_TYPE,
    body: '{"stack":"acme/a","st\\u0061ck":"acme/b"}',
    status: 400,
    message: /body: the key 'stack' appears more than once/,
  },
  {
    name: 'JSON with a __proto__ key',
    contentType: JSON_TYPE,
    body: '{"metadata":{"__proto__":{"admin":true}}}',
    status: 400,
    message: /body\.metadata\.__proto__: '__proto__' is not allowed as a key/,
  },
  {
    name: 'JSON with constructor.prototype',
    contentType: JSON_TYPE,
    body: '{"constructor":{"prototype":{"admin":true}}}',
    status: 400,
    message: /'constructor\.prototype' is not allowed as a key/,
  },
  {
    name: 'JSON with an escaped NUL',
    contentType: JSON_TYPE,
    body: '{"prompt":"fix\\u0000it"}',
    status: 400,
    message: /body\.prompt: must not contain NUL characters/,
  },
  {
    name: 'JSON with a raw NUL byte',
    contentType: JSON_TYPE,
    body: Buffer.from('{"prompt":"fix\u0000it"}'),
    status: 400,
    message: /body: must not contain NUL characters/,
  },
  {
    name: 'JSON that is not UTF-8',
    contentType: JSON_TYPE,
    body: Buffer.from([
      0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d,
    ]),
    status: 400,
    message: /body: is not valid UTF-8/,
  },
  {
    name: 'malformed JSON',
    contentType: JSON_TYPE,
    body: '{"metadata": {"name": }',
    status: 400,
    message: /body: malformed JSON/,
  },
  {
    name: 'JSON over the 1 MB limit',
    contentType: JSON_TYPE,
    body: JSON.stringify({ prompt: 'x'.repeat(2 * MEGABYTE) }),
    status: 413,
    message: /body: larger than the 1 MB limit/,
  },
  {
    name: 'a gzip-encoded body',
    contentType: JSON_TYPE,
    headers: { 'content-encoding': 'gzip' },
    body: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
    status: 415,
    message: /body: send it as UTF-8, not compressed/,
  },
  {
    name: 'YAML alias bomb',
    contentType: YAML_TYPE,
    body: ALIAS_BOMB,
    status: 400,
    message: /aliases expand more than 100 times \(an alias bomb\)/,
  },
  {
    name: 'YAML with an unresolved alias',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: *nowhere }'),
    status: 400,
    message: /an alias refers to an anchor that is not defined before it/,
  },
  {
    name: 'YAML with a recursive alias',
    contentType: YAML_TYPE,
    body: stack('spec: &loop { runtime: scripted, loop: *loop }'),
    status: 400,
    message: /spec\.loop: contains itself \(a recursive alias\)/,
  },
  {
    name: 'YAML flow collections nested 500,000 levels',
    contentType: YAML_TYPE,
    body: `a: ${'['.repeat(500_000)}${']'.repeat(500_000)}`,
    status: 400,
    message: /YAML nests deeper than 64 levels at line 1/,
  },
  {
    name: 'YAML sequence indicators nested 300,000 levels on one line',
    contentType: YAML_TYPE,
    body: `${'- '.repeat(300_000)}a`,
    status: 400,
    message: /YAML nests deeper than 64 levels at line 1/,
  },
  {
    name: 'YAML block mappings nested 900 levels by indentation',
    contentType: YAML_TYPE,
    body: blockNested(900),
    status: 400,
    message: TOO_DEEP,
  },
  {
    name: 'YAML with a duplicate key',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: scripted, runtime: codex }'),
    status: 400,
    message: /Map keys must be unique/,
  },
  {
    name: 'YAML with an unknown tag',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: !exec scripted }'),
    status: 400,
    message: /unsupported YAML at line 4: Unresolved tag: !exec/,
  },
  {
    name: 'YAML with a YAML 1.1 !!binary tag',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: !!binary c2NyaXB0ZWQ= }'),
    status: 400,
    message: /Unresolved tag: tag:yaml.org,2002:binary/,
  },
  {
    name: 'YAML with a __proto__ key',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: scripted, __proto__: { admin: true } }'),
    status: 400,
    message: /spec\.__proto__: '__proto__' is not allowed as a key/,
  },
  {
    name: 'YAML with a raw NUL byte',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: "scripted\u0000" }'),
    status: 400,
    message: /body: must not contain NUL characters/,
  },
  {
    name: 'YAML with an escaped NUL',
    contentType: YAML_TYPE,
    body: stack('spec: { runtime: scripted, systemPrompt: "a\\0" }'),
    status: 400,
    message: /spec\.systemPrompt: must not contain NUL characters/,
  },
  {
    name: 'YAML that is not UTF-8',
    contentType: YAML_TYPE,
    body: Buffer.concat([
      Buffer.from(stack('spec: { runtime: "')),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('" }'),
    ]),
    status: 400,
    message: /body: is not valid UTF-8/,
  },
  {
    name: 'YAML over the 1 MB limit',
    contentType: YAML_TYPE,
    body: stack(`spec: { systemPrompt: "${'x'.repeat(2 * MEGABYTE)}" }`),
    status: 413,
    message: /body: larger than the 1 MB limit/,
  },
  {
    name: 'YAML with 5,000 documents',
    contentType: YAML_TYPE,
    body: '---\na: 1\n'.repeat(5_000),
    status: 400,
    message: /body: at most 200 documents per request/,
  },
];
