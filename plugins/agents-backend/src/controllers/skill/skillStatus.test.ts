import { AgentSkill } from '@krate/plugin-agents-common';
import { skillStatus } from './skillStatus';

const EARLIER = new Date('2026-01-01T00:00:00.000Z');
const NOW = new Date('2026-01-02T00:00:00.000Z');
const COMMIT = 'a'.repeat(40);

const valid = {
  validation: 'Valid' as const,
  reason: 'Validated',
  message: 'skills/triage is a directory.',
  resolvedCommit: COMMIT,
};
const pending = {
  validation: 'Pending' as const,
  reason: 'RepositoryUnreachable',
  message: 'Repository acme/skills could not be reached.',
};

function skill(generation: number, status?: AgentSkill['status']): AgentSkill {
  return {
    apiVersion: 'agents.krate.dev/v1alpha1',
    kind: 'AgentSkill',
    metadata: { namespace: 'acme', name: 'triage', generation },
    spec: { source: { repository: 'acme/skills', path: 'skills/triage' } },
    ...(status ? { status } : {}),
  } as AgentSkill;
}

describe('skillStatus', () => {
  const validated = skillStatus(skill(1), valid, EARLIER);

  it('stamps a new result with the time of validation', () => {
    expect(validated).toEqual({
      observedGeneration: 1,
      validation: 'Valid',
      resolvedCommit: COMMIT,
      lastValidationTime: EARLIER.toISOString(),
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Validated',
          message: valid.message,
          lastTransitionTime: EARLIER.toISOString(),
        },
      ],
    });
  });

  it('gives an unchanged result the same status, so nothing is written', () => {
    expect(skillStatus(skill(1, validated), valid, NOW)).toEqual(validated);
  });

  it('keeps the commit of the same spec while the repository cannot be reached', () => {
    expect(skillStatus(skill(1, validated), pending, NOW)).toEqual({
      observedGeneration: 1,
      validation: 'Pending',
      resolvedCommit: COMMIT,
      lastValidationTime: NOW.toISOString(),
      conditions: [
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'RepositoryUnreachable',
          message: pending.message,
          lastTransitionTime: NOW.toISOString(),
        },
      ],
    });
  });

  it('drops the commit of an earlier spec', () => {
    const changed = skillStatus(skill(2, validated), pending, NOW);
    expect(changed).not.toHaveProperty('resolvedCommit');
    expect(changed).toMatchObject({
      observedGeneration: 2,
      validation: 'Pending',
    });
  });

  it('drops the commit when the ref no longer resolves', () => {
    const invalid = skillStatus(
      skill(1, validated),
      { validation: 'Invalid', reason: 'RefNotFound', message: 'No ref.' },
      NOW,
    );
    expect(invalid).not.toHaveProperty('resolvedCommit');
    expect(invalid!.conditions).toEqual([
      expect.objectContaining({ status: 'False', reason: 'RefNotFound' }),
    ]);
  });
});
