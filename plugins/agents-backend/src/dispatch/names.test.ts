import { runtimeLabels } from './names';

describe('runtimeLabels', () => {
  it('labels a session record with a runtime id that is a valid label value', () => {
    expect(runtimeLabels('claude-code')).toEqual({
      'agents.krate.dev/runtime': 'claude-code',
    });
    expect(runtimeLabels('agent_mux.v2')).toEqual({
      'agents.krate.dev/runtime': 'agent_mux.v2',
    });
  });

  it('leaves the label off a runtime id no label value may hold', () => {
    expect(runtimeLabels('my/runtime')).toEqual({});
    expect(runtimeLabels('-leading')).toEqual({});
    expect(runtimeLabels('x'.repeat(64))).toEqual({});
  });
});
