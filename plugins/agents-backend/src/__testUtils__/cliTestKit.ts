import { AgentLaunch, LaunchProfile } from '@krate/plugin-agents-node';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliInstaller, defaultCliCacheDir } from '../runtimes/cli/CliInstaller';

/** The first install downloads a few hundred MB; later runs find it in the home cache. */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** The installer the real-CLI suites share with each other and with earlier runs. */
export function testInstaller(): CliInstaller {
  return new CliInstaller({ cacheDir: defaultCliCacheDir() });
}

/** Temp folders of one suite, removed by `cleanup`. */
export class TempDirs {
  readonly #dirs: string[] = [];

  make(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    this.#dirs.push(dir);
    return dir;
  }

  cleanup() {
    this.#dirs
      .splice(0)
      .forEach(dir => rmSync(dir, { recursive: true, force: true }));
  }
}

/**
 * Throws (failing the test in an `afterEach`) when a runtime left something in its temp parent.
 */
export function assertNothingLeftIn(dir: string) {
  const left = existsSync(dir) ? readdirSync(dir) : [];
  if (left.length > 0) {
    throw new Error(`The runtime left ${left.join(', ')} in ${dir}`);
  }
}

/**
 * Pids of live processes (zombies excluded) whose command line contains `marker`. Tools may run
 * in a PID namespace (Codex's sandbox), so a pid a tool reports about itself is no use here.
 */
export function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
      if (
        state !== 'Z' &&
        cmdline.includes(marker) &&
        Number(pid) !== process.pid
      ) {
        found.push(Number(pid));
      }
    } catch {
      // Gone while reading.
    }
  }
  return found;
}

export function testLaunch(
  overrides: Partial<AgentLaunch> & { workingDirectory: string },
  profile: Partial<LaunchProfile> = {},
): AgentLaunch {
  return {
    namespace: 'default',
    run: 'run-1',
    attempt: 'run-1-a1',
    attemptKind: 'initial',
    prompt: 'Write hi into out.txt',
    ...overrides,
    profile: {
      stack: 'test-stack',
      runtime: 'test',
      approvalMode: 'policy',
      allowSelfApproval: false,
      mcpServers: [],
      skills: [],
      subagents: [],
      defaultContextLabels: [],
      ...profile,
    },
  };
}
