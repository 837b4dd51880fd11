import fs from 'node:fs';
import path from 'node:path';
import { LaunchProfile } from '@krate/plugin-agents-node';
import { RecordingHost } from '../../__testUtils__/recordingHost';
import { MAX_SUBAGENT_DEPTH } from './ScriptedAgent';
import { ScriptedRuntime } from './ScriptedRuntime';
import {
  scriptedLaunch,
  useTempDir,
} from '../../__testUtils__/scriptedTestKit';

const runtime = new ScriptedRuntime();

function subagent(name: string, steps: Record<string, unknown>[]) {
  return { name, spec: { whenToUse: `for ${name}`, script: { steps } } };
}

describe('ScriptedRuntime subagent steps', () => {
  const dir = useTempDir();

  const run = (
    steps: Record<string, unknown>[],
    subagents: LaunchProfile['subagents'],
    host = new RecordingHost(),
  ) =>
    runtime
      .run(scriptedLaunch(dir(), { steps }, { profile: { subagents } }), host)
      .then(outcome => ({ outcome, host }));

  it('runs the subagent script with its events tagged, and hands back a summary', async () => {
    const { outcome, host } = await run(
      [
        { say: 'Delegating.' },
        { subagent: { name: 'tester', prompt: 'Run the tests' } },
        { say: 'Done.' },
      ],
      [
        subagent('tester', [
          { think: 'Which tests?' },
          { shell: 'echo ok > tested.txt' },
          { say: 'All 3 tests pass.' },
        ]),
      ],
    );

    expect(outcome.phase).toBe('Succeeded');
    const spawn = host.ofType('subagent_spawn')[0];
    expect(spawn).toEqual({
      type: 'subagent_spawn',
      subagentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      agentName: 'tester',
      prompt: 'Run the tests',
    });
    const { subagentId } = spawn;
    expect(host.ofType('thinking')).toEqual([
      { type: 'thinking', text: 'Which tests?', subagentId },
    ]);
    expect(host.ofType('tool_call')[0].subagentId).toBe(subagentId);
    expect(host.ofType('tool_result')[0].subagentId).toBe(subagentId);
    expect(host.ofType('text')).toEqual([
      { type: 'text', text: 'Delegating.' },
      { type: 'text', text: 'All 3 tests pass.', subagentId },
      { type: 'text', text: 'Done.' },
    ]);
    expect(host.ofType('subagent_result')).toEqual([
      { type: 'subagent_result', subagentId, summary: 'All 3 tests pass.' },
    ]);
    expect(fs.readFileSync(path.join(dir(), 'tested.txt'), 'utf8')).toBe(
      'ok\n',
    );
    const types = host.events.map(e => e.type);
    expect(types.indexOf('subagent_spawn')).toBeLessThan(
      types.indexOf('thinking'),
    );
    expect(types.indexOf('subagent_result')).toBeGreaterThan(
      types.indexOf('tool_result'),
    );
  });

  it('reports a failing subagent and fails the attempt with its reason', async () => {
    const { outcome, host } = await run(
      [{ subagent: { name: 'fixer' } }, { say: 'not reached' }],
      [subagent('fixer', [{ say: 'trying' }, { shell: 'exit 2' }])],
    );
    expect(outcome).toEqual({
      phase: 'Failed',
      reason: 'ToolFailed',
      message: 'Subagent fixer: Command exited with code 2',
    });
    const { subagentId } = host.ofType('subagent_spawn')[0];
    expect(host.ofType('subagent_error')).toEqual([
      {
        type: 'subagent_error',
        subagentId,
        error: 'Command exited with code 2',
      },
    ]);
    expect(host.ofType('subagent_result')).toEqual([]);
    expect(host.ofType('text').map(e => e.text)).toEqual(['trying']);
  });

  it('nests subagents, each with its own id', async () => {
    const { outcome, host } = await run(
      [{ subagent: { name: 'lead' } }],
      [
        subagent('lead', [
          { subagent: { name: 'helper' } },
          { say: 'lead done' },
        ]),
        subagent('helper', [{ say: 'helper done' }]),
      ],
    );
    expect(outcome.phase).toBe('Succeeded');
    const [lead, helper] = host.ofType('subagent_spawn');
    expect(lead.agentName).toBe('lead');
    expect(helper.agentName).toBe('helper');
    expect(helper.subagentId).not.toBe(lead.subagentId);
    expect(host.ofType('text')).toEqual([
      { type: 'text', text: 'helper done', subagentId: helper.subagentId },
      { type: 'text', text: 'lead done', subagentId: lead.subagentId },
    ]);
    expect(host.ofType('subagent_result').map(e => e.summary)).toEqual([
      'helper done',
      'lead done',
    ]);
  });

  it(`stops subagents nesting deeper than ${MAX_SUBAGENT_DEPTH}`, async () => {
    const { outcome, host } = await run(
      [{ subagent: { name: 'loop' } }],
      [subagent('loop', [{ subagent: { name: 'loop' } }])],
    );
    expect(outcome.phase).toBe('Failed');
    expect(outcome.reason).toBe('SubagentDepthExceeded');
    expect(host.ofType('subagent_spawn')).toHaveLength(MAX_SUBAGENT_DEPTH);
    expect(host.ofType('subagent_error')).toHaveLength(MAX_SUBAGENT_DEPTH);
  });

  it('fails when the subagent is not on the stack or has no script', async () => {
    const unknown = await run([{ subagent: { name: 'ghost' } }], []);
    expect(unknown.outcome.reason).toBe('InvalidScript');
    expect(unknown.outcome.message).toContain('ghost');

    const scriptless = await run(
      [{ subagent: { name: 'bare' } }],
      [{ name: 'bare', spec: { whenToUse: 'never' } }],
    );
    expect(scriptless.outcome.reason).toBe('MissingScript');
    expect(scriptless.host.ofType('subagent_spawn')).toEqual([]);
  });

  it('checks the subagent script before running any of it', async () => {
    const { outcome } = await run(
      [{ subagent: { name: 'broken' } }],
      [
        subagent('broken', [
          { writeFile: { path: 'a.txt', content: 'a' } },
          { say: 'x', think: 'y' },
        ]),
      ],
    );
    expect(outcome.reason).toBe('InvalidScript');
    expect(outcome.message).toContain(
      'AgentSubagent/broken spec.script.steps[1] carries several actions',
    );
    expect(fs.existsSync(path.join(dir(), 'a.txt'))).toBe(false);
  });

  it('cancels inside a subagent without reporting it as an error', async () => {
    const host = new RecordingHost();
    const running = run(
      [{ subagent: { name: 'slow' } }],
      [subagent('slow', [{ say: 'working' }, { sleepMs: 60_000 }])],
      host,
    );
    await host.waitFor(e => e.type === 'text');
    host.cancel();
    expect((await running).outcome).toEqual({
      phase: 'Cancelled',
      reason: 'Cancelled',
    });
    expect(host.ofType('subagent_error')).toEqual([]);
  });
});
