import { AgentsResource } from '../../api';
import { stackDraftProblems } from './stackDraftProblems';

const stack = (spec: Record<string, unknown>): AgentsResource => ({
  apiVersion: 'agents.krate.dev/v1alpha1',
  kind: 'AgentStack',
  metadata: { name: 'demo', namespace: 'acme' },
  spec,
});

describe('stackDraftProblems', () => {
  it('wants steps on a scripted stack only', () => {
    expect(stackDraftProblems(stack({ runtime: 'scripted' }))).toEqual([
      {
        path: 'spec.script.steps',
        message:
          'is required: the scripted runtime plays these steps (add them in the YAML view)',
      },
    ]);
    expect(
      stackDraftProblems(
        stack({ runtime: 'scripted', script: { steps: [{ say: 'hi' }] } }),
      ),
    ).toEqual([]);
    expect(stackDraftProblems(stack({ runtime: 'codex' }))).toEqual([]);
  });

  it('names the registered runtimes once they are known', () => {
    const draft = stack({ runtime: 'claude' });
    expect(stackDraftProblems(draft)).toEqual([]);
    expect(stackDraftProblems(draft, ['scripted', 'codex'])).toEqual([
      {
        path: 'spec.runtime',
        message:
          "'claude' is not registered on this backend (registered: scripted, codex)",
      },
    ]);
    expect(stackDraftProblems(draft, [])).toEqual([
      {
        path: 'spec.runtime',
        message:
          "'claude' is not registered on this backend (no runtime is registered)",
      },
    ]);
  });
});
