import { AgentLaunch, LaunchProfile } from '@krate/plugin-agents-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh real working directory per test, removed after it. It sits inside a private parent,
 * so tests of `..` escapes look at a directory nothing else writes to.
 */
export function useTempDir(): () => string {
  let parent: string | undefined;
  beforeEach(() => {
    parent = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'agents-scripted-')),
    );
    fs.mkdirSync(path.join(parent, 'work'));
  });
  afterEach(() => {
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
    parent = undefined;
  });
  return () => path.join(parent!, 'work');
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
