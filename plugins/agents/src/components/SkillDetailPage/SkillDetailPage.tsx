import { AgentSkill, AgentSkillKind } from '@krate/plugin-agents-common';
import Grid from '@material-ui/core/Grid';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { listsIn, RegistryDetailPage, StacksUsing } from '../RegistryPage';
import { useRegisteredRuntimes } from '../StacksPage/useRegisteredRuntimes';
import { SkillRequirements } from './SkillRequirements';
import { SkillSource } from './SkillSource';

export interface SkillDetailPageProps {
  pollIntervalMs?: number;
}

/**
 * One AgentSkill: its source and validation, the runtimes it works with, the Secret and config
 * keys it needs, and the stacks that load it (directly or through subagents).
 */
export const SkillDetailPage = ({
  pollIntervalMs = 10_000,
}: SkillDetailPageProps) => {
  const paths = useAgentsPaths();
  const registered = useRegisteredRuntimes();
  return (
    <RegistryDetailPage
      definition={AgentSkillKind}
      noun="skill"
      listPath={paths.skills}
      listLabel="All skills"
      pollIntervalMs={pollIntervalMs}
    >
      {object => {
        const skill = object as unknown as AgentSkill;
        const { namespace, name } = skill.metadata;
        return (
          <Grid container spacing={3}>
            <Grid item xs={12} md={6}>
              <SkillSource skill={skill} />
            </Grid>
            <Grid item xs={12} md={6}>
              <SkillRequirements skill={skill} registered={registered} />
            </Grid>
            <Grid item xs={12}>
              <StacksUsing
                namespace={namespace}
                what={`the skill ${name}`}
                uses={listsIn('skills', name)}
                throughSubagents
                pollIntervalMs={pollIntervalMs}
              />
            </Grid>
          </Grid>
        );
      }}
    </RegistryDetailPage>
  );
};
