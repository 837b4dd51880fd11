import { AgentRuntime } from '@krate/plugin-agents-node';
import { RuntimeRegistry } from './RuntimeRegistry';

const scripted: AgentRuntime = {
  id: 'scripted',
  displayName: 'Scripted',
  capabilities: {
    subagents: true,
    mcp: false,
    resume: true,
    approvals: 'enforced',
  },
  run: async () => {
    throw new Error('this test never runs an attempt');
  },
};

describe('RuntimeRegistry', () => {
  it('lists and finds registered runtimes', () => {
    const registry = new RuntimeRegistry();
    registry.addRuntime(scripted);
    expect(registry.get('scripted')).toBe(scripted);
    expect(registry.get('codex')).toBeUndefined();
    expect(registry.list()).toEqual([scripted]);
  });

  it('refuses a second runtime with the same id', () => {
    const registry = new RuntimeRegistry();
    registry.addRuntime(scripted);
    expect(() => registry.addRuntime({ ...scripted })).toThrow(
      "Agent runtime 'scripted' is already registered",
    );
  });
});
