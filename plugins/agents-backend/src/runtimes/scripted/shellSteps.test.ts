import fs from 'node:fs';
import path from 'node:path';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { MAX_SHELL_OUTPUT_BYTES } from './ScriptedAgent';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  processGone,
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

function readPid(file: string) {
  return Number(fs.readFileSync(file, 'utf8').trim());
}

async function waitForPid(file: string) {
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return readPid(file);
}

describe('ScriptedRuntime shell steps', () => {
  const dir = useTempDir();

  it('runs the command in the working directory and streams its output', async () => {
    fs.writeFileSync(path.join(dir(), 'input.txt'), 'from the workspace\n');
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: 'cat input.txt; echo oops >&2; pwd' }],
      }),
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    expect(host.requests).toEqual([
      {
        actionClass: 'shell',
        toolName: 'Bash',
        target: 'cat input.txt; echo oops >&2; pwd',
        detail: { command: 'cat input.txt; echo oops >&2; pwd' },
        interactionId: 'scripted-step-0',
      },
    ]);
    const call = host.ofType('tool_call')[0];
    expect(call).toMatchObject({
      toolName: 'Bash',
      input: { command: 'cat input.txt; echo oops >&2; pwd' },
    });
    expect(host.ofType('shell_start')[0]).toEqual({
      type: 'shell_start',
      command: 'cat input.txt; echo oops >&2; pwd',
      cwd: dir(),
      toolCallId: call.toolCallId,
    });
    const output = (stream: string) =>
      host
        .ofType('shell_output')
        .filter(e => e.stream === stream)
        .map(e => e.text)
        .join('');
    expect(output('stdout')).toBe(`from the workspace\n${dir()}\n`);
    expect(output('stderr')).toBe('oops\n');
    const exit = host.ofType('shell_exit')[0];
    expect(exit.exitCode).toBe(0);
    expect(exit.durationMs).toEqual(expect.any(Number));
    expect(host.ofType('tool_result')[0]).toMatchObject({
      toolCallId: call.toolCallId,
      toolName: 'Bash',
      output: { exitCode: 0, truncated: false },
    });
    expect(host.ofType('tool_result')[0].isError).toBeUndefined();
    const types = host.events.map(e => e.type);
    expect(types.indexOf('policy_decision')).toBeLessThan(
      types.indexOf('tool_call'),
    );
    expect(types.indexOf('shell_exit')).toBeLessThan(
      types.indexOf('tool_result'),
    );
  });

  it('delivers output in whole lines, not byte by byte', async () => {
    const host = new RecordingHost();
    await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          {
            shell:
              'i=0; while [ $i -lt 500 ]; do printf "line %d\\n" $i; i=$((i+1)); done; printf tail',
          },
        ],
      }),
      host,
    );
    const chunks = host.ofType('shell_output').map(e => e.text);
    expect(chunks.join('')).toBe(
      `${Array.from({ length: 500 }, (_, i) => `line ${i}\n`).join('')}tail`,
    );
    expect(chunks.length).toBeLessThan(500);
    chunks
      .slice(0, -1)
      .forEach(chunk => expect(chunk.endsWith('\n')).toBe(true));
  });

  it('fails ToolFailed on a non-zero exit and stops the script', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: 'echo half; exit 3' }, { say: 'not reached' }],
      }),
      host,
    );
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'ToolFailed',
      message: 'Command exited with code 3',
    });
    expect(host.ofType('shell_exit')[0].exitCode).toBe(3);
    expect(host.ofType('tool_result')[0]).toMatchObject({
      isError: true,
      output: 'Command exited with code 3',
    });
    expect(host.ofType('text')).toEqual([]);
  });

  it('gives the command a minimal environment without the backend secrets', async () => {
    process.env.SECRET_TOKEN = 'sk-test-do-not-leak';
    try {
      const host = new RecordingHost();
      await runtime.run(
        scriptedLaunch(dir(), { steps: [{ shell: 'env' }] }),
        host,
      );
      const env = host
        .ofType('shell_output')
        .map(e => e.text)
        .join('');
      expect(env).toContain(`PATH=${process.env.PATH}`);
      expect(env).toContain('HOME=');
      expect(env).not.toContain('SECRET_TOKEN');
      expect(env).not.toContain('sk-test-do-not-leak');
      expect(env).not.toContain('JEST_WORKER_ID');
    } finally {
      delete process.env.SECRET_TOKEN;
    }
  });

  it('adds the granted tool environment, under the variables it sets itself', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        {
          steps: [
            {
              shell:
                'printf "%s|%s|%s" "$DEMO_API_TOKEN" "$PATH" "${MCP_ONLY:-unset}"',
            },
          ],
        },
        {
          secrets: {
            mcpServers: { vault: { MCP_ONLY: 'mcp-canary-7d1e' } },
            environment: {
              DEMO_API_TOKEN: 'skill-canary-2b9f',
              PATH: '/granted/bin',
            },
            values: ['mcp-canary-7d1e', 'skill-canary-2b9f', '/granted/bin'],
          },
        },
      ),
      host,
    );

    expect(outcome.phase).toBe('Succeeded');
    const output = host
      .ofType('shell_output')
      .map(e => e.text)
      .join('');
    expect(output).toBe(`skill-canary-2b9f|${process.env.PATH}|unset`);
  });

  it('keeps at most 1 MiB of output per step and says it truncated', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: "head -c 1500000 /dev/zero | tr '\\0' 'a'" }],
      }),
      host,
    );
    expect(outcome.phase).toBe('Succeeded');
    const kept = host
      .ofType('shell_output')
      .reduce((sum, e) => sum + e.text.length, 0);
    expect(kept).toBe(MAX_SHELL_OUTPUT_BYTES);
    expect(host.ofType('warning')[0]).toMatchObject({
      code: 'OutputTruncated',
    });
    expect(host.ofType('warning')[0].message).toContain(
      `${1_500_000 - MAX_SHELL_OUTPUT_BYTES} more bytes`,
    );
    expect(host.ofType('tool_result')[0].output).toEqual({
      exitCode: 0,
      truncated: true,
    });
  });

  it('fails PolicyDenied when policy refuses the command, without running it', async () => {
    const host = new RecordingHost(request => ({
      decision: request.actionClass === 'shell' ? 'deny' : 'allow',
      reason: 'rm is not allowed',
    }));
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: 'touch ran.txt' }, { say: 'not reached' }],
      }),
      host,
    );
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('PolicyDenied');
    expect(outcome.message).toContain('rm is not allowed');
    expect(fs.existsSync(path.join(dir(), 'ran.txt'))).toBe(false);
    expect(host.ofType('tool_call')).toEqual([]);
    expect(host.ofType('shell_start')).toEqual([]);
    expect(host.ofType('tool_result')[0]).toMatchObject({
      toolName: 'Bash',
      isError: true,
      output: 'rm is not allowed',
    });
    expect(host.ofType('text')).toEqual([]);
  });

  it('goes on after a denied command when onDenied is continue', async () => {
    const host = new RecordingHost(request =>
      request.target.startsWith('touch denied')
        ? { decision: 'deny', reason: 'not this one' }
        : { decision: 'allow', reason: 'fine' },
    );
    const outcome = await runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          { shell: 'touch denied.txt', onDenied: 'continue' },
          { shell: 'touch allowed.txt' },
        ],
      }),
      host,
    );
    expect(outcome).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(fs.existsSync(path.join(dir(), 'denied.txt'))).toBe(false);
    expect(fs.existsSync(path.join(dir(), 'allowed.txt'))).toBe(true);
    expect(host.ofType('tool_result')[0]).toMatchObject({
      isError: true,
      output: 'not this one',
    });
  });

  it('holds a command behind a human gate until it is approved', async () => {
    const host = new RecordingHost(() => 'human');
    const marker = path.join(dir(), 'approved.txt');
    const running = runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: 'echo yes > approved.txt' }],
      }),
      host,
    );
    const requested = await host.waitFor(e => e.type === 'approval_requested');
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(fs.existsSync(marker)).toBe(false);
    expect(host.ofType('shell_start')).toEqual([]);

    host.decideApproval((requested as { approval: string }).approval, 'allow');
    expect(await running).toEqual({ phase: 'Succeeded', reason: 'Completed' });
    expect(fs.readFileSync(marker, 'utf8')).toBe('yes\n');
  });

  it('fails ApprovalRejected when the human rejects the command', async () => {
    const host = new RecordingHost(() => 'human');
    const running = runtime.run(
      scriptedLaunch(dir(), { steps: [{ shell: 'touch ran.txt' }] }),
      host,
    );
    const requested = await host.waitFor(e => e.type === 'approval_requested');
    host.decideApproval((requested as { approval: string }).approval, 'deny');
    const outcome = await running;
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('ApprovalRejected');
    expect(fs.existsSync(path.join(dir(), 'ran.txt'))).toBe(false);
    expect(host.ofType('tool_result')[0]).toMatchObject({
      isError: true,
      output: 'rejected',
    });
  });

  it('cancels a running command and leaves no process behind', async () => {
    const host = new RecordingHost();
    const started = performance.now();
    const running = runtime.run(
      scriptedLaunch(dir(), {
        steps: [
          {
            shell:
              'echo $$ > sh.pid; sleep 30 & echo $! > sleep.pid; echo started; wait',
          },
        ],
      }),
      host,
    );
    // `started` is printed after both pid files are written.
    await host.waitFor(e => e.type === 'shell_output');
    const shPid = readPid(path.join(dir(), 'sh.pid'));
    const sleepPid = readPid(path.join(dir(), 'sleep.pid'));
    expect(processGone(sleepPid)).toBe(false);
    const seen = host.events.length;

    host.cancel();
    expect(await running).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(processGone(shPid)).toBe(true);
    expect(processGone(sleepPid)).toBe(true);
    expect(host.events).toHaveLength(seen);
  });

  it('cancels a plain sleep 30 promptly', async () => {
    const host = new RecordingHost();
    const running = runtime.run(
      scriptedLaunch(dir(), {
        steps: [{ shell: 'echo $$ > sh.pid; sleep 30' }],
      }),
      host,
    );
    await host.waitFor(e => e.type === 'shell_start');
    const shPid = await waitForPid(path.join(dir(), 'sh.pid'));
    const started = performance.now();
    host.cancel();
    expect(await running).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(processGone(shPid)).toBe(true);
    expect(host.ofType('shell_exit')).toEqual([]);
  });

  it('kills the command when the attempt budget runs out', async () => {
    const host = new RecordingHost();
    const outcome = await runtime.run(
      scriptedLaunch(
        dir(),
        { steps: [{ shell: 'echo $$ > sh.pid; sleep 30' }] },
        { profile: { runnerPolicy: { timeoutSeconds: 1 } } },
      ),
      host,
    );
    expect(outcome.reason).toBe('TimedOut');
    expect(processGone(readPid(path.join(dir(), 'sh.pid')))).toBe(true);
    expect(host.ofType('shell_exit')[0].exitCode).toBeNull();
    expect(host.ofType('tool_result')[0].isError).toBe(true);
  });

  it('cancels while waiting for a human decision', async () => {
    const host = new RecordingHost(() => 'human');
    const running = runtime.run(
      scriptedLaunch(dir(), { steps: [{ shell: 'touch ran.txt' }] }),
      host,
    );
    await host.waitFor(e => e.type === 'approval_requested');
    host.cancel();
    expect(await running).toEqual({ phase: 'Cancelled', reason: 'Cancelled' });
    expect(fs.existsSync(path.join(dir(), 'ran.txt'))).toBe(false);
  });
});
