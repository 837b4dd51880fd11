import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { TempDirs } from '../../__testUtils__/cliTestKit';
import { ApprovalHookServer } from './ApprovalHookServer';
import { claudeToolAction } from './claudeCode/claudeToolAction';

const hookInput = {
  session_id: 's-1',
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'npm test' },
  tool_use_id: 'toolu_1',
};

/** Runs the hook script as the CLIs do: a process with the hook JSON on stdin. */
function runHook(script: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>(
    resolve => {
      const child = spawn(process.execPath, [script], { env, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', chunk => (stdout += chunk));
      child.stderr.on('data', chunk => (stderr += chunk));
      child.on('close', code => resolve({ code, stdout, stderr }));
      child.stdin.end(JSON.stringify(hookInput));
    },
  );
}

describe('ApprovalHookServer and its hook script', () => {
  const temp = new TempDirs();
  let script: string;
  let hookDefinition: any;

  beforeAll(async () => {
    const dir = temp.make('hook');
    hookDefinition = await ApprovalHookServer.writeHook(dir, 600);
    script = path.join(dir, 'krate-approval-hook.cjs');
  });
  afterAll(() => temp.cleanup());

  it('declares a blocking PreToolUse hook for every tool', () => {
    const [entry] = hookDefinition.PreToolUse;
    expect(entry.matcher).toBe('*');
    expect(entry.hooks[0]).toEqual({
      type: 'command',
      command: `'${process.execPath}' '${script}'`,
      timeout: 600,
    });
    expect(readFileSync(script, 'utf8')).toContain('process.exit(2)');
  });

  it('allows when the backend allows, asking with the mapped action', async () => {
    const host = new RecordingHost();
    const server = await ApprovalHookServer.start({
      host,
      toAction: claudeToolAction,
    });
    try {
      const result = await runHook(script, server.env);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).hookSpecificOutput).toMatchObject({
        hookEventName: 'PreToolUse',
        permissionDecision: 'allow',
      });
      expect(host.requests).toEqual([
        {
          actionClass: 'shell',
          target: 'npm test',
          toolName: 'Bash',
          detail: { command: 'npm test' },
          interactionId: 'toolu_1',
        },
      ]);
    } finally {
      await server.close();
    }
  });

  it('blocks with exit 2 and the reason when the backend denies', async () => {
    const host = new RecordingHost(() => ({
      decision: 'deny',
      reason: 'npm is off limits',
    }));
    const decisions: string[] = [];
    const server = await ApprovalHookServer.start({
      host,
      toAction: claudeToolAction,
      onDecision: (_input, decision) => decisions.push(decision.decision),
    });
    try {
      const result = await runHook(script, server.env);
      expect(result).toMatchObject({ code: 2, stderr: 'npm is off limits' });
      expect(decisions).toEqual(['deny']);
    } finally {
      await server.close();
    }
  });

  it('fails closed on a wrong token, an unreachable server or no configuration', async () => {
    const host = new RecordingHost();
    const server = await ApprovalHookServer.start({
      host,
      toAction: claudeToolAction,
    });
    const env = server.env;
    const [urlKey, tokenKey] = Object.keys(env);
    try {
      const forged = await runHook(script, {
        ...env,
        [tokenKey]: 'not-the-token',
      });
      expect(forged).toMatchObject({
        code: 2,
        stderr: 'Unauthorized approval request',
      });
      expect(host.requests).toEqual([]);
    } finally {
      await server.close();
    }
    const unreachable = await runHook(script, env);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/unreachable/);
    const unconfigured = await runHook(script, { [urlKey]: env[urlKey] });
    expect(unconfigured).toMatchObject({
      code: 2,
      stderr: 'Krate Agents approval hook is not configured',
    });
  });
});
