/*
 * Memory benchmark: the company-brain read side on a generated repository of N records
 * (bench/lib/memoryRepository.ts: the acme ontology, edges between allowed kinds, links in the
 * bodies, ~10% team-scoped records).
 *
 *   bench/run.sh memory [--records 10000] [--seed 1] [--samples 20] [--commits 5]
 *   bench/run.sh memory --parts graph   (any of search,graph,reindex)
 *
 * Search: searchMemory on a built snapshot (reader in three teams, limit 50) against
 * `git grep -n -I -F|-E [-i] -e <pattern> <commit>` run directly in the same run, for a literal
 * in ~1% of the files, a rare literal, a regex and an ignore-case query; p50 of each and the
 * ratio (target ≤ 2×). The samples of the two alternate; one warm-up of each is not measured.
 *
 * Index: the full build of the first commit (informational), then `--commits` commits that each
 * modify 10 records, add one and delete one, and `MemoryIndex.at` of each new commit, which must
 * start from the previous snapshot and read only the 11 files written (target < 1 s each).
 *
 * Graph: queryGraph over the whole graph, of one kind, and around a random visible record at
 * depth 1 and 2, for a reader in three teams and one in none; p50/p95 (target p95 < 50 ms).
 *
 * Not measured: generating and committing the repository, the first snapshot build before the
 * searches and graph queries, and three warm-up graph queries per variant.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryGit } from '../plugins/agents-backend/src/memory/git';
import {
  MemoryIndex,
  MemorySnapshot,
} from '../plugins/agents-backend/src/memory/MemoryIndex';
import { queryGraph } from '../plugins/agents-backend/src/memory/memoryGraph';
import { searchMemory } from '../plugins/agents-backend/src/memory/searchMemory';
import {
  canSee,
  MemoryReader,
} from '../plugins/agents-backend/src/memory/visibility';
import { GeneratedMemory } from './lib/memoryRepository';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const records = Number(args.get('records') ?? 10_000);
const seed = Number(args.get('seed') ?? 1);
const samples = Number(args.get('samples') ?? 20);
const commits = Number(args.get('commits') ?? 5);
/** Which measurements to run, e.g. `graph` alone under a profiler. */
const parts = new Set((args.get('parts') ?? 'search,graph,reindex').split(','));
const MODIFIED_PER_COMMIT = 10;
const SEARCH_LIMIT = 50;
const GRAPH_WARM_UP = 3;
const SEARCH_TARGET = 2;
const REINDEX_TARGET_MS = 1000;
const GRAPH_TARGET_MS = 50;

const QUERIES: {
  label: string;
  pattern: string;
  regex?: boolean;
  ignoreCase?: boolean;
}[] = [
  { label: "literal 'quorum' (~1% of files)", pattern: 'quorum' },
  { label: "rare literal 'frobnicator'", pattern: 'frobnicator' },
  {
    label: "regex 'retry budget of [0-9]+'",
    pattern: 'retry budget of [0-9]+',
    regex: true,
  },
  {
    label: "ignore-case 'idempotency key'",
    pattern: 'idempotency key',
    ignoreCase: true,
  },
];

interface Figure {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** mulberry32, as the generator: the same records are picked for a seed. */
function random(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The baseline: plain git grep, its whole output collected; answers its lines. */
function gitGrep(
  repository: string,
  commit: string,
  query: (typeof QUERIES)[number],
): Promise<string[]> {
  const grepArgs = [
    'grep',
    '-n',
    '-I',
    query.regex ? '-E' : '-F',
    ...(query.ignoreCase ? ['-i'] : []),
    '-e',
    query.pattern,
    commit,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('git', grepArgs, { cwd: repository });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', code => {
      if (code !== 0 && code !== 1) {
        reject(new Error(`git ${grepArgs.join(' ')} exited with ${code}`));
      } else {
        resolve(
          Buffer.concat(chunks).toString('utf8').split('\n').slice(0, -1),
        );
      }
    });
  });
}

async function timed<T>(task: () => Promise<T> | T): Promise<[number, T]> {
  const started = performance.now();
  const result = await task();
  return [performance.now() - started, result];
}

async function benchSearch(
  repository: string,
  git: MemoryGit,
  snapshot: MemorySnapshot,
  reader: MemoryReader,
  figures: Figure[],
) {
  console.log(
    `\nsearch (${samples} samples each; searchMemory limit ${SEARCH_LIMIT}, reader in 3 teams)`,
  );
  for (const query of QUERIES) {
    const search = () =>
      searchMemory(git, snapshot, reader, { ...query, limit: SEARCH_LIMIT });
    const grep = () => gitGrep(repository, snapshot.commit, query);
    const [, lines] = await timed(grep);
    const [, answer] = await timed(search);
    const files = new Set(lines.map(line => line.split(':')[1])).size;
    const ours: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < samples; i++) {
      baseline.push((await timed(grep))[0]);
      ours.push((await timed(search))[0]);
    }
    const ratio = percentile(ours, 50) / percentile(baseline, 50);
    console.log(
      [
        `  ${query.label}: ${
          lines.length
        } lines in ${files} files; searchMemory answered ${
          answer.results.length
        }, withheld ${answer.withheld}${answer.truncated ? ', truncated' : ''}`,
        `    git grep      p50 ${ms(percentile(baseline, 50))}, p95 ${ms(
          percentile(baseline, 95),
        )}`,
        `    searchMemory  p50 ${ms(percentile(ours, 50))}, p95 ${ms(
          percentile(ours, 95),
        )}; ÷ git grep p50 ${ratio.toFixed(2)}×`,
      ].join('\n'),
    );
    figures.push({
      name: `search ${query.label}: p50 ÷ git grep p50`,
      value: `${ratio.toFixed(2)}×`,
      target: `≤ ${SEARCH_TARGET}×`,
      met: ratio <= SEARCH_TARGET,
    });
  }
}

async function benchGraph(
  snapshot: MemorySnapshot,
  readers: [string, MemoryReader][],
  figures: Figure[],
) {
  console.log(`\ngraph queries (${samples} samples each)`);
  const next = random(seed);
  for (const [who, reader] of readers) {
    const visible = [...snapshot.records.values()]
      .filter(record => canSee(record, reader))
      .map(record => record.id);
    const around = () => visible[Math.floor(next() * visible.length)];
    const variants: [string, () => ReturnType<typeof queryGraph>][] = [
      ['whole graph', () => queryGraph(snapshot, reader)],
      [
        'kinds [service]',
        () => queryGraph(snapshot, reader, { kinds: ['service'] }),
      ],
      [
        'around a record, depth 1',
        () => queryGraph(snapshot, reader, { around: around(), depth: 1 }),
      ],
      [
        'around a record, depth 2',
        () => queryGraph(snapshot, reader, { around: around(), depth: 2 }),
      ],
    ];
    for (const [label, query] of variants) {
      for (let i = 0; i < GRAPH_WARM_UP; i++) query();
      const times: number[] = [];
      let nodes = 0;
      let edges = 0;
      let withheld = 0;
      for (let i = 0; i < samples; i++) {
        const [time, graph] = await timed(query);
        times.push(time);
        nodes += graph.nodes.length;
        edges += graph.edges.length;
        withheld = graph.withheld;
      }
      const p95 = percentile(times, 95);
      console.log(
        `  ${who}, ${label}: p50 ${ms(percentile(times, 50))}, p95 ${ms(
          p95,
        )} (mean ${Math.round(nodes / samples)} nodes, ${Math.round(
          edges / samples,
        )} edges; ${withheld} withheld)`,
      );
      figures.push({
        name: `graph ${who}, ${label}: p95`,
        value: ms(p95),
        target: `< ${GRAPH_TARGET_MS} ms`,
        met: p95 < GRAPH_TARGET_MS,
      });
    }
  }
}

async function benchReindex(
  memory: GeneratedMemory,
  index: MemoryIndex,
  first: MemorySnapshot,
  figures: Figure[],
) {
  console.log(
    `\nincremental re-index (${commits} commits of ${MODIFIED_PER_COMMIT} modified, 1 added, 1 deleted record)`,
  );
  let previous = first;
  for (let i = 1; i <= commits; i++) {
    const change = memory.change(MODIFIED_PER_COMMIT);
    const [time, snapshot] = await timed(() => index.at(change.commit));
    const expected = change.modified.length + change.added.length;
    const incremental =
      snapshot.build.from === previous.commit &&
      snapshot.build.filesRead === expected;
    console.log(
      `  commit ${i}: index.at ${ms(time)} (build ${ms(
        snapshot.build.ms,
      )}), from ${snapshot.build.from?.slice(0, 8) ?? 'scratch'}, ${
        snapshot.build.filesRead
      } files read (expected ${expected} from ${previous.commit.slice(
        0,
        8,
      )}), ${snapshot.records.size} records, ${snapshot.issues.length} issues`,
    );
    figures.push({
      name: `re-index commit ${i}${incremental ? '' : ' (NOT incremental)'}`,
      value: ms(time),
      target: `< ${REINDEX_TARGET_MS} ms, incremental`,
      met: incremental && time < REINDEX_TARGET_MS,
    });
    previous = snapshot;
  }
}

async function main() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'krate-bench-memory-')));
  try {
    console.log(
      `Memory benchmark: ${records.toLocaleString(
        'en',
      )} generated records, seed ${seed}; ${
        cpus().length
      } CPUs, load average ${loadavg()
        .map(load => load.toFixed(1))
        .join(' ')}`,
    );
    const [generateMs, memory] = await timed(() =>
      GeneratedMemory.create({
        directory: base,
        ontologyFile: join(__dirname, '../examples/memory/acme/ontology.yaml'),
        records,
        seed,
      }),
    );
    const git = new MemoryGit(base);
    const { commit } = await git.resolve();
    const index = new MemoryIndex(git);
    const [buildMs, snapshot] = await timed(() => index.at(commit));
    const scoped = memory.records.filter(record => record.visibility).length;
    console.log(
      [
        `generated and committed in ${(generateMs / 1000).toFixed(
          2,
        )} s; ${scoped} team-scoped records`,
        `full index build: ${ms(buildMs)} (build ${ms(snapshot.build.ms)}, ${
          snapshot.build.filesRead
        } files read), ${snapshot.records.size} records, ${
          snapshot.issues.length
        } issues${
          snapshot.issues.length
            ? ` (first: ${snapshot.issues[0].file} ${snapshot.issues[0].field}: ${snapshot.issues[0].message})`
            : ''
        }`,
      ].join('\n'),
    );

    const member: MemoryReader = {
      ownershipRefs: ['user:default/bench', ...memory.teams.slice(0, 3)],
    };
    const outsider: MemoryReader = { ownershipRefs: ['user:default/outsider'] };
    const figures: Figure[] = [];
    if (parts.has('search')) {
      await benchSearch(base, git, snapshot, member, figures);
    }
    if (parts.has('graph')) {
      await benchGraph(
        snapshot,
        [
          ['member of 3 teams', member],
          ['member of no team', outsider],
        ],
        figures,
      );
    }
    if (parts.has('reindex')) {
      await benchReindex(memory, index, snapshot, figures);
    }

    console.log('\nsummary');
    console.log(
      `  full index build of ${snapshot.records.size} records: ${ms(
        buildMs,
      )} (informational)`,
    );
    const width = Math.max(...figures.map(figure => figure.name.length));
    for (const figure of figures) {
      console.log(
        `  ${figure.name.padEnd(width)}  ${figure.value.padStart(9)}  target ${
          figure.target
        }  ${figure.met ? 'met' : 'NOT met'}`,
      );
    }
    const missed = figures.filter(figure => !figure.met).length;
    console.log(
      `  ${figures.length - missed} of ${figures.length} targets met`,
    );
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  error => {
    console.error(error);
    process.exit(1);
  },
);
