/*
 * Hostile-input benchmark: how long the API's body checks take on each body of the hostile
 * corpus (src/__testUtils__/hostileInput/hostileBodies.ts), against the same checks on an
 * ordinary body of the same size — so a hostile body costs no more than an honest one.
 *
 *   bench/run.sh hostile-input --samples 20
 *
 * Times the parsing the router does before any route runs (parseJsonText for JSON, and for YAML
 * parseYamlDocuments as /apply calls it), in process, p50 of N samples. A body the router refuses
 * before parsing (over the size limit, compressed, not UTF-8) is timed as far as it gets.
 */
import { parseJsonText } from '../plugins/agents-backend/src/service/input/parseJsonText';
import { parseYamlDocuments } from '../plugins/agents-backend/src/service/input/parseYamlDocuments';
import { HOSTILE_BODIES } from '../plugins/agents-backend/src/__testUtils__/hostileInput/hostileBodies';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const samples = Number(args.get('samples') ?? 20);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The router's work on a body: decode, then parse and check; the answer does not matter. */
function check(contentType: string, body: string | Buffer) {
  try {
    const text = typeof body === 'string' ? body : utf8.decode(body);
    if (contentType.includes('yaml')) {
      parseYamlDocuments(text, { maxDocuments: 200 });
    } else {
      parseJsonText(text);
    }
  } catch {
    // Refused: that is the point.
  }
}

function p50(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/** An ordinary body of about `bytes`: stacks, as JSON or as YAML documents. */
function ordinary(contentType: string, bytes: number): string {
  const stack = (i: number) => ({
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentStack',
    metadata: {
      name: `stack-${i}`,
      namespace: 'acme',
      labels: { team: 'payments' },
    },
    spec: {
      runtime: 'scripted',
      systemPrompt: 'Review the change and explain what it does.',
      script: { steps: [{ say: 'hello' }, { shell: 'npm test' }] },
    },
  });
  const yaml = contentType.includes('yaml');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = yaml
      ? `---\n${JSON.stringify(stack(i))}\n`
      : JSON.stringify(stack(i));
    parts.push(part);
    size += part.length;
  }
  return yaml ? parts.join('') : `{"kind":"List","items":[${parts.join(',')}]}`;
}

const rows: string[] = [];
for (const hostile of HOSTILE_BODIES) {
  const size = Buffer.byteLength(hostile.body);
  // Bodies over the limit never reach the parser (413 as they stream in).
  if (size > 1024 * 1024) {
    rows.push(`| ${hostile.name} | ${size} | refused by size | | |`);
    continue;
  }
  const hostileMs = p50(() => check(hostile.contentType, hostile.body));
  const baseline = ordinary(hostile.contentType, Math.max(size, 1024));
  const baselineMs = p50(() => check(hostile.contentType, baseline));
  rows.push(
    `| ${hostile.name} | ${size} | ${hostileMs.toFixed(
      2,
    )} | ${baselineMs.toFixed(2)} | ${(hostileMs / baselineMs).toFixed(2)}× |`,
  );
}
console.log(
  [
    `samples: ${samples} (p50 ms)`,
    '| body | bytes | checks on it | on an ordinary body of that size | ratio |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'),
);
