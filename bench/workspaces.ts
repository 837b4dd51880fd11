/*
 * Workspace benchmark: provisioning through the workspace controller against a raw
 * `git worktree add` of the same ref, and one inventory pass over every workspace.
 *
 *   bench/run.sh workspaces [--count 200] [--files 5000]
 *
 * Builds a repository of N files, then provisions `count` workspaces through WorkspaceManager
 * (records in SQLite, git state read back, audit written) alternating with `count` raw
 * `git worktree add -b` calls into a separate directory, and times a full
 * WorkspaceInventory.refreshAll() over the provisioned workspaces.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { AgentsDatabase } from '../plugins/agents-backend/src/database/AgentsDatabase';
import { DatabaseAuditStore } from '../plugins/agents-backend/src/database/AuditStore';
import { DatabaseResourceStore } from '../plugins/agents-backend/src/database/DatabaseResourceStore';
import { WorkspaceInventory } from '../plugins/agents-backend/src/workspaces/WorkspaceInventory';
import { WorkspaceManager } from '../plugins/agents-backend/src/workspaces/WorkspaceManager';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const count = Number(args.get('count') ?? 200);
const files = Number(args.get('files') ?? 5000);

const git = (cwd: string, ...gitArgs: string[]) =>
  execFileSync('git', gitArgs, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Bench',
      GIT_AUTHOR_EMAIL: 'bench@example.com',
      GIT_COMMITTER_NAME: 'Bench',
      GIT_COMMITTER_EMAIL: 'bench@example.com',
    },
  }).trim();

const silentLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function main() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'krate-ws-bench-')));
  const repo = join(base, 'repo');
  const root = join(base, 'root');
  const rawRoot = join(base, 'raw');
  mkdirSync(repo);
  mkdirSync(root);
  mkdirSync(rawRoot);

  console.log(
    `Workspace benchmark: ${count} workspaces of a ${files.toLocaleString(
      'en',
    )}-file repository`,
  );
  git(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < files; i++) {
    const dir = join(repo, `src/module-${i % 50}`);
    if (i < 50) mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `file-${i}.ts`),
      `export const value${i} = ${i};\n`,
    );
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'bench fixture');
  const sha = git(repo, 'rev-parse', 'HEAD');

  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: join(base, 'agents.sqlite') },
    useNullAsDefault: true,
  });
  const db = await AgentsDatabase.create({
    database: {
      getClient: async () => knex,
      migrations: { skip: false },
    } as any,
  });
  const store = new DatabaseResourceStore({
    knex: db.knex,
    audit: new DatabaseAuditStore(db.knex),
  });
  const manager = WorkspaceManager.create({
    store,
    root,
    repositoryRoots: [base],
  });

  const raw: number[] = [];
  const managed: number[] = [];
  for (let i = 0; i < count; i++) {
    let started = performance.now();
    git(
      repo,
      'worktree',
      'add',
      '-q',
      '-b',
      `raw-${i}`,
      join(rawRoot, `w${i}`),
      sha,
    );
    raw.push(performance.now() - started);

    started = performance.now();
    await manager.perform({
      namespace: 'acme',
      name: `w${i}`,
      action: 'provision',
      params: {
        repository: 'acme/bench',
        repositoryPath: repo,
        ref: sha,
        trustTier: 'trusted',
      },
      actor: 'user:default/bench',
    });
    managed.push(performance.now() - started);
  }

  const inventory = new WorkspaceInventory({ store, logger: silentLogger });
  const started = performance.now();
  const result = await inventory.refreshAll();
  const inventoryMs = performance.now() - started;

  const row = (name: string, values: number[]) =>
    `${name.padEnd(40)} p50 ${percentile(values, 50)
      .toFixed(1)
      .padStart(7)} ms   p95 ${percentile(values, 95)
      .toFixed(1)
      .padStart(7)} ms   mean ${(values.reduce((a, b) => a + b) / values.length)
      .toFixed(1)
      .padStart(7)} ms`;
  console.log(row('raw git worktree add', raw));
  console.log(row('provision via WorkspaceManager', managed));
  const ratio = (p: number) => percentile(managed, p) / percentile(raw, p);
  console.log(
    `ratio provision / raw: p50 ${ratio(50).toFixed(2)}×, p95 ${ratio(
      95,
    ).toFixed(2)}×`,
  );
  console.log(
    `inventory of ${result.checked} workspaces: ${(inventoryMs / 1000).toFixed(
      2,
    )} s (${result.updated} updated, ${result.missing} missing)`,
  );
  console.log(
    `targets: provision ≤ 1.3× raw (p50) → ${
      ratio(50) <= 1.3 ? 'met' : 'NOT met'
    }; inventory of ${count} < 10 s → ${
      inventoryMs < 10_000 ? 'met' : 'NOT met'
    }`,
  );

  await knex.destroy();
  rmSync(base, { recursive: true, force: true });
  process.exit(0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
