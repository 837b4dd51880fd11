/*
 * A generated memory repository for bench/memory.ts: the acme ontology and N records spread over
 * its kinds, deterministic from a seed, committed with the git CLI. Services depend on 1–3 other
 * services, teams own the services and runbooks given to them, decisions supersede earlier ones
 * and affect services, incidents affect services and point to a runbook; bodies are a few
 * paragraphs with Markdown links to other records; about 10% of the records are team-scoped.
 *
 * Words planted for searches: `quorum` in about 1% of the files, `frobnicator` in 5, `retry
 * budget of <n>` in about 3% and `idempotency key` in mixed case in about 2%.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface GeneratedMemoryOptions {
  /** An empty directory; the repository is made in it. */
  directory: string;
  ontologyFile: string;
  records: number;
  seed: number;
}

/** What a commit of `change` did. */
export interface MemoryChange {
  commit: string;
  modified: string[];
  added: string[];
  deleted: string[];
}

interface Draft {
  id: string;
  kind: string;
  title: string;
  owner?: string;
  visibility?: string;
  fields: [string, string | string[]][];
  edges: Record<string, string[]>;
  paragraphs: string[];
}

/** Share of the records per kind and the folder they live in; glossary takes the remainder. */
const KINDS: { kind: string; folder: string; share: number }[] = [
  { kind: 'team', folder: 'teams', share: 0.03 },
  { kind: 'service', folder: 'services', share: 0.27 },
  { kind: 'runbook', folder: 'runbooks', share: 0.15 },
  { kind: 'decision', folder: 'decisions', share: 0.15 },
  { kind: 'incident', folder: 'incidents', share: 0.15 },
  { kind: 'convention', folder: 'conventions', share: 0.05 },
  { kind: 'glossary-term', folder: 'glossary', share: 0.2 },
];

const SCOPED_SHARE = 0.1;
const RARE_WORD = 'frobnicator';
const RARE_FILES = 5;

// None of the planted words or phrases can come out of these.
const WORDS = (
  'the a of to and in on for with when after before every each request service deploy ' +
  'rollback release ledger payment account queue worker cache database replica shard index ' +
  'latency error rate alert page on-call rotation owner review change window traffic region ' +
  'zone failover backup restore snapshot migration schema table column partition lock lease ' +
  'timeout deadline backoff jitter client server gateway proxy token secret certificate ' +
  'rotation audit log metric trace span dashboard threshold capacity quota limit burst ' +
  'throughput batch stream event topic consumer producer offset retention compaction ' +
  'checkpoint config flag rollout canary percentage customer tenant invoice refund ' +
  'settlement reconciliation report export import job schedule cron retry duplicate write ' +
  'read path handler endpoint health check probe restart drain evict node pod cluster ' +
  'network firewall rule policy permission role group team runbook incident decision ' +
  'should must may never always only usually first then later until unless because so ' +
  'slow fast stale fresh safe unsafe small large new old shared internal public'
).split(' ');

const ADJECTIVES =
  'billing ledger search payments identity catalog checkout pricing shipping inventory ' +
  'notification routing reporting fraud risk onboarding settlement analytics storage ' +
  'scheduler gateway audit export import';
const NOUNS =
  'api worker sync store cache indexer bridge router daemon service pipeline proxy engine';

/** mulberry32: small, fast and the same everywhere for a seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pad(n: number) {
  return String(n).padStart(5, '0');
}

function yamlValue(value: string | string[]) {
  return Array.isArray(value) ? `[${value.join(', ')}]` : value;
}

/** The Markdown link from one record's file to another's. */
function linkTo(from: Draft, to: Draft) {
  const target = posix.relative(posix.dirname(from.id), `${to.id}.md`);
  return `[${to.title}](${target})`;
}

function render(draft: Draft): string {
  const lines = ['---', `kind: ${draft.kind}`];
  if (draft.owner) lines.push(`owner: ${draft.owner}`);
  if (draft.visibility) lines.push(`visibility: ${draft.visibility}`);
  for (const [field, value] of draft.fields) {
    lines.push(`${field}: ${yamlValue(value)}`);
  }
  const edgeKinds = Object.entries(draft.edges).filter(([, to]) => to.length);
  if (edgeKinds.length) {
    lines.push('edges:');
    for (const [kind, to] of edgeKinds)
      lines.push(`  ${kind}: ${yamlValue(to)}`);
  }
  lines.push('---', '', `# ${draft.title}`, '');
  return `${[...lines, draft.paragraphs.join('\n\n')].join('\n')}\n`;
}

/** A memory repository with a work tree, and commits that change a few of its records. */
export class GeneratedMemory {
  readonly directory: string;
  readonly teams: string[];
  readonly #drafts: Draft[];
  readonly #next: () => number;
  #commits = 0;

  private constructor(directory: string, drafts: Draft[], next: () => number) {
    this.directory = directory;
    this.#drafts = drafts;
    this.#next = next;
    this.teams = drafts
      .filter(draft => draft.kind === 'team')
      .map(draft => draft.owner!);
  }

  /** Writes the records and the ontology and commits them all at once. */
  static create(options: GeneratedMemoryOptions): GeneratedMemory {
    const next = random(options.seed);
    const drafts = generate(options.records, next);
    const memory = new GeneratedMemory(options.directory, drafts, next);
    for (const { folder } of KINDS) {
      mkdirSync(join(options.directory, folder), { recursive: true });
    }
    copyFileSync(
      options.ontologyFile,
      join(options.directory, 'ontology.yaml'),
    );
    for (const draft of drafts) memory.#write(draft);
    memory.#git(['init', '-q', '-b', 'main']);
    memory.#commit('generated memory');
    // A cloned repository is packed; the bench reads it as one.
    memory.#git(['repack', '-a', '-d', '-q']);
    return memory;
  }

  get records(): { id: string; kind: string; visibility?: string }[] {
    return this.#drafts;
  }

  /** One commit that edits `modify` records, adds an incident and deletes a glossary term. */
  change(modify: number): MemoryChange {
    const revision = ++this.#commits;
    const modified = new Set<Draft>();
    while (modified.size < Math.min(modify, this.#drafts.length)) {
      modified.add(
        this.#drafts[Math.floor(this.#next() * this.#drafts.length)],
      );
    }
    for (const draft of modified) {
      draft.paragraphs.push(
        `Revision ${revision}: ${sentence(this.#next, 20 + revision)}`,
      );
      this.#write(draft);
    }
    const services = this.#drafts.filter(draft => draft.kind === 'service');
    const affected = services[Math.floor(this.#next() * services.length)];
    const incident: Draft = {
      id: `incidents/change-${pad(revision)}`,
      kind: 'incident',
      title: `Incident in change ${revision}`,
      owner: affected.owner,
      fields: [['reviewed', '2026-12-01']],
      edges: { affects: [affected.id] },
      paragraphs: [],
    };
    incident.paragraphs.push(
      `${sentence(this.#next, 30)} See ${linkTo(incident, affected)}.`,
    );
    this.#drafts.push(incident);
    this.#write(incident);
    const deleted: string[] = [];
    const glossary = this.#drafts.findIndex(
      draft => draft.kind === 'glossary-term' && !modified.has(draft),
    );
    if (glossary >= 0) {
      const [gone] = this.#drafts.splice(glossary, 1);
      rmSync(join(this.directory, `${gone.id}.md`));
      deleted.push(`${gone.id}.md`);
    }
    this.#commit(`change ${revision}`);
    return {
      commit: this.#git(['rev-parse', 'HEAD']),
      modified: [...modified].map(draft => `${draft.id}.md`),
      added: [`${incident.id}.md`],
      deleted,
    };
  }

  #write(draft: Draft) {
    writeFileSync(join(this.directory, `${draft.id}.md`), render(draft));
  }

  #commit(message: string) {
    // Commit dates a day apart from a fixed start, so the repository is the same for a seed.
    const date = new Date(
      Date.UTC(2026, 0, 1) + this.#commits * 86_400_000,
    ).toISOString();
    this.#git(['add', '-A']);
    this.#git(['commit', '-q', '--no-verify', '-m', message], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
  }

  #git(args: string[], env: Record<string, string> = {}) {
    return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd: this.directory,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
        ...env,
      },
    }).trim();
  }
}

function sentence(next: () => number, words: number) {
  const picked = Array.from(
    { length: words },
    () => WORDS[Math.floor(next() * WORDS.length)],
  );
  return `${picked.join(' ').replace(/^./, c => c.toUpperCase())}.`;
}

function generate(total: number, next: () => number): Draft[] {
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
  const between = (low: number, high: number) =>
    low + Math.floor(next() * (high - low + 1));
  const date = () =>
    new Date(Date.UTC(2024, 0, 1) + between(0, 1000) * 86_400_000)
      .toISOString()
      .slice(0, 10);
  const adjectives = ADJECTIVES.split(' ');
  const nouns = NOUNS.split(' ');

  const counts = KINDS.map(({ share }) =>
    Math.max(1, Math.floor(total * share)),
  );
  counts[0] = Math.max(2, counts[0]);
  counts[counts.length - 1] += Math.max(
    0,
    total - counts.reduce((a, b) => a + b),
  );
  const byKind = new Map<string, Draft[]>();
  KINDS.forEach(({ kind, folder }, k) => {
    byKind.set(
      kind,
      Array.from({ length: counts[k] }, (_, i) => ({
        id: `${folder}/${kind === 'team' ? 'team' : folder.slice(0, 3)}-${pad(
          i,
        )}`,
        kind,
        title: '',
        fields: [],
        edges: {},
        paragraphs: [],
      })),
    );
  });
  const of = (kind: string) => byKind.get(kind)!;

  const teamOf = new Map<Draft, Draft>();
  of('team').forEach((team, i) => {
    team.owner = `group:default/team-${i}`;
    team.id = `teams/team-${i}`;
    team.title = `Team ${i}`;
    team.edges.owns = [];
  });
  const own = (draft: Draft, team: Draft) => {
    teamOf.set(draft, team);
    draft.owner = team.owner;
  };

  const runbooksOf = new Map<Draft, Draft[]>();
  of('service').forEach((service, i) => {
    own(service, pick(of('team')));
    service.title = `${pick(adjectives)}-${pick(nouns)}-${i}`;
    service.fields.push(
      ['repositories', [`acme/${service.title}`]],
      ['tier', pick(['critical', 'standard', 'best-effort'])],
    );
    const dependsOn = new Set<string>();
    const wanted = Math.min(between(1, 3), of('service').length - 1);
    while (dependsOn.size < wanted) {
      const other = pick(of('service'));
      if (other !== service) dependsOn.add(other.id);
    }
    service.edges['depends-on'] = [...dependsOn];
    teamOf.get(service)!.edges.owns.push(service.id);
  });
  of('runbook').forEach((runbook, i) => {
    const service = pick(of('service'));
    own(runbook, teamOf.get(service)!);
    runbook.title = `Operating ${service.title} (${i})`;
    runbook.fields.push(['reviewed', date()]);
    runbook.paragraphs.push(`Steps for ${linkTo(runbook, service)}.`);
    runbooksOf.set(service, [...(runbooksOf.get(service) ?? []), runbook]);
    teamOf.get(runbook)!.edges.owns.push(runbook.id);
  });
  for (const [service, runbooks] of runbooksOf) {
    service.edges['documented-in'] = runbooks.map(runbook => runbook.id);
  }
  const superseded = new Set<Draft>();
  of('decision').forEach((decision, i) => {
    decision.title = `${String(i + 1).padStart(4, '0')} ${sentence(next, 4)}`;
    decision.fields.push(['reviewed', date()]);
    const earlier = of('decision')
      .slice(Math.max(0, i - 50), i)
      .filter(d => !superseded.has(d));
    if (earlier.length && next() < 0.25) {
      const old = pick(earlier);
      superseded.add(old);
      decision.edges.supersedes = [old.id];
      decision.paragraphs.push(`Replaces ${linkTo(decision, old)}.`);
    }
    decision.edges.affects = [
      ...new Set([pick(of('service')).id, pick(of('service')).id]),
    ].slice(0, between(1, 2));
  });
  for (const decision of of('decision')) {
    const status = superseded.has(decision)
      ? 'superseded'
      : pick(['accepted', 'accepted', 'proposed']);
    decision.fields.unshift(['status', status]);
  }
  of('incident').forEach((incident, i) => {
    const services = [
      ...new Set(
        Array.from({ length: between(1, 3) }, () => pick(of('service'))),
      ),
    ];
    own(incident, teamOf.get(services[0])!);
    incident.title = `Incident ${i}: ${services[0].title} ${pick(WORDS)}`;
    incident.fields.push(['reviewed', date()]);
    incident.edges.affects = services.map(service => service.id);
    const runbook = runbooksOf.get(services[0])?.[0];
    if (runbook) {
      incident.edges['documented-in'] = [runbook.id];
      incident.paragraphs.push(`Handled with ${linkTo(incident, runbook)}.`);
    }
  });
  of('convention').forEach((convention, i) => {
    own(convention, pick(of('team')));
    convention.title = `Convention ${i}: ${sentence(next, 3)}`;
  });
  of('glossary-term').forEach((term, i) => {
    term.title = `${pick(adjectives)} ${pick(WORDS)} ${i}`;
  });

  const drafts = KINDS.flatMap(({ kind }) => of(kind));
  const rare = new Set<Draft>();
  while (rare.size < Math.min(RARE_FILES, drafts.length))
    rare.add(pick(drafts));
  for (const draft of drafts) {
    if (draft.kind !== 'team' && next() < SCOPED_SHARE) {
      draft.visibility = `team:${draft.owner ?? pick(of('team')).owner}`;
    }
    const paragraphs = between(2, 4);
    for (let p = 0; p < paragraphs; p++) {
      const sentences = Array.from({ length: between(2, 5) }, () =>
        sentence(next, between(8, 18)),
      );
      if (next() < 0.5) {
        sentences.push(`Related: ${linkTo(draft, pick(drafts))}.`);
      }
      draft.paragraphs.push(wrap(sentences.join(' ')));
    }
    const planted: string[] = [];
    if (next() < 0.01) planted.push('Writes need a quorum of replicas.');
    if (next() < 0.03) {
      planted.push(`Callers keep a retry budget of ${between(1, 9)} attempts.`);
    }
    if (next() < 0.02) {
      planted.push(
        `Every write carries an ${pick([
          'idempotency key',
          'Idempotency Key',
          'IDEMPOTENCY KEY',
          'Idempotency key',
        ])}.`,
      );
    }
    if (rare.has(draft)) planted.push(`The ${RARE_WORD} runs nightly.`);
    if (planted.length) draft.paragraphs.push(planted.join(' '));
  }
  return drafts;
}

/** Lines of at most 100 characters, as records are written. */
function wrap(text: string) {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > 100) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
