import { AgentSkill, AgentSkillKind } from '@krate/plugin-agents-common';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { RegistryColumn, RegistryListPage } from '../RegistryPage';
import { SkillValidationChip } from './SkillValidationChip';

const asSkill = (object: AgentsResource) => object as unknown as AgentSkill;

const COLUMNS: RegistryColumn[] = [
  {
    label: 'Source',
    render: object => {
      const { repository, path, ref } = asSkill(object).spec.source;
      return (
        <code>
          {repository}/{path}
          {ref ? `@${ref}` : ''}
        </code>
      );
    },
  },
  {
    label: 'Runtimes',
    render: object =>
      asSkill(object).spec.compatibleRuntimes?.join(', ') || 'any',
  },
  {
    label: 'Validation',
    render: object => <SkillValidationChip skill={asSkill(object)} />,
  },
];

export interface SkillsPageProps {
  pollIntervalMs?: number;
}

/** The skills and runbooks agents load from repositories, with their validation state. */
export const SkillsPage = ({ pollIntervalMs = 10_000 }: SkillsPageProps) => {
  const paths = useAgentsPaths();
  return (
    <RegistryListPage
      definition={AgentSkillKind}
      title="Skills"
      subtitle="Skills and runbooks: source, validation and compatible runtimes"
      noun="skill"
      nouns="skills"
      emptyDescription="A skill is a runbook in a repository that agents load; it is validated against its source."
      newSpec={{ source: { repository: '', path: '' } }}
      columns={COLUMNS}
      detailPath={paths.skill}
      pollIntervalMs={pollIntervalMs}
    />
  );
};
