import { AgentLaunch, LaunchProfile } from '@krate/plugin-agents-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh real temp directory per test, removed after it. */
export function useTempDir(): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'agents-scripted-')),
    );
  });
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => dir!;
}

/** A launch of a scripted stack in `workingDirectory`. */
export function scriptedLaunch(
  workingDirectory: string,
  script: LaunchProfile['script'],
  overrides: Partial<Omit<AgentLaunch, 'profile'>> & {
    profile?: Partial<LaunchProfile>;
  } = {},
): AgentLaunch {
  const { profile, ...rest } = overrides;
  return {
    namespace: 'default',
    run: 'run-1',
    attempt: 'run-1-1',
    attemptKind: 'initial',
    prompt: 'Fix the flaky test',
    workingDirectory,
    ...rest,
    profile: {
      stack: 'demo',
      runtime: 'scripted',
      approvalMode: 'policy',
      allowSelfApproval: false,
      mcpServers: [],
      skills: [],
      subagents: [],
      defaultContextLabels: [],
      script,
      ...profile,
    },
  };
}

/** Whether a process is gone (a zombie waiting for its reaper counts as gone). */
export function processGone(pid: number) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
