import { LaunchProfile } from '@krate/plugin-agents-node';
import { decideAction } from './ActionPolicy';

function profile(overrides: Partial<LaunchProfile> = {}): LaunchProfile {
  return {
    stack: 'triage',
    runtime: 'scripted',
    approvalMode: 'policy',
    allowSelfApproval: false,
    mcpServers: [],
    skills: [],
    subagents: [],
    defaultContextLabels: [],
    toolProfile: {
      name: 'safe',
      spec: {
        deniedTools: ['WebFetch'],
        shell: {
          allowCommands: ['npm test*', 'cat *'],
          denyCommands: ['*rm -rf*'],
        },
        filesystem: { deniedPaths: ['**/.env'], writeRoots: ['src'] },
        network: { mode: 'allow-list', allowedHosts: ['*.npmjs.org'] },
        approvalRequired: ['write-back'],
      },
    },
    ...overrides,
  };
}

describe('decideAction', () => {
  it('allows a shell command the profile allows, across slashes', () => {
    expect(
      decideAction(profile(), {
        actionClass: 'shell',
        target: 'cat src/a/b.ts',
        toolName: 'Bash',
      }),
    ).toMatchObject({ verdict: 'allow' });
  });

  it('denies commands outside the allow list and on the deny list, naming the profile', () => {
    expect(
      decideAction(profile(), { actionClass: 'shell', target: 'curl x' }),
    ).toMatchObject({
      verdict: 'deny',
      policySource: 'AgentToolProfile/safe',
    });
    expect(
      decideAction(profile(), {
        actionClass: 'shell',
        target: 'cat a && rm -rf /',
      }).reason,
    ).toContain('denies the command');
  });

  it('denies denied tools, denied paths and writes outside the write roots', () => {
    expect(
      decideAction(profile(), {
        actionClass: 'tool',
        toolName: 'WebFetch',
        target: 'x',
      }).verdict,
    ).toBe('deny');
    expect(
      decideAction(profile(), {
        actionClass: 'tool',
        toolName: 'Read',
        target: 'config/.env',
      }).verdict,
    ).toBe('deny');
    expect(
      decideAction(profile(), {
        actionClass: 'tool',
        toolName: 'Write',
        target: 'docs/a.md',
      }).verdict,
    ).toBe('deny');
    expect(
      decideAction(profile(), {
        actionClass: 'tool',
        toolName: 'Write',
        target: 'src/a.ts',
      }).verdict,
    ).toBe('allow');
  });

  it('treats "." as the whole workspace and never lets a path climb out of a root', () => {
    const everywhere = profile({
      toolProfile: {
        name: 'sandbox',
        spec: { filesystem: { writeRoots: ['.'] } },
      },
    });
    const write = (target: string) =>
      decideAction(everywhere, {
        actionClass: 'tool',
        toolName: 'Write',
        target,
      }).verdict;
    expect(write('src/rounding.js')).toBe('allow');
    expect(write('./README.md')).toBe('allow');
    expect(write('../outside.txt')).toBe('deny');
    expect(write('/etc/passwd')).toBe('deny');
    expect(
      decideAction(profile(), {
        actionClass: 'tool',
        toolName: 'Write',
        target: 'src/../docs/a.md',
      }).verdict,
    ).toBe('deny');
  });

  it('checks hosts against the network allow list', () => {
    expect(
      decideAction(profile(), {
        actionClass: 'network',
        target: 'registry.npmjs.org',
      }).verdict,
    ).toBe('allow');
    expect(
      decideAction(profile(), {
        actionClass: 'network',
        target: 'evil.example',
      }).verdict,
    ).toBe('deny');
  });

  it('asks a human for the action classes the profile lists, and per approval mode', () => {
    expect(
      decideAction(profile(), { actionClass: 'write-back', target: 'main' })
        .verdict,
    ).toBe('human');
    expect(
      decideAction(profile({ approvalMode: 'always' }), {
        actionClass: 'shell',
        target: 'npm test',
      }),
    ).toMatchObject({ verdict: 'human', policySource: 'AgentStack/triage' });
    expect(
      decideAction(profile({ approvalMode: 'never' }), {
        actionClass: 'write-back',
        target: 'main',
      }).verdict,
    ).toBe('allow');
  });

  it('never lets a human approve what the profile denies', () => {
    expect(
      decideAction(profile({ approvalMode: 'always' }), {
        actionClass: 'shell',
        target: 'rm -rf /',
      }).verdict,
    ).toBe('deny');
  });
});
