import { InfoCard } from '@backstage/core-components';
import {
  AgentToolProfile,
  AgentToolProfileKind,
} from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import {
  ConditionList,
  namesIn,
  RegistryDetailPage,
  StacksUsing,
} from '../RegistryPage';
import { ToolChecker } from './ToolChecker';
import { ToolPolicy } from './ToolPolicy';

export interface ToolDetailPageProps {
  pollIntervalMs?: number;
}

/**
 * One AgentToolProfile: its policy, readiness, the stacks that use it (directly or through
 * subagents) and a checker that asks what the profile decides for a command, path or host.
 */
export const ToolDetailPage = ({
  pollIntervalMs = 10_000,
}: ToolDetailPageProps) => {
  const paths = useAgentsPaths();
  return (
    <RegistryDetailPage
      definition={AgentToolProfileKind}
      noun="tool profile"
      listPath={paths.tools}
      listLabel="All tool profiles"
      pollIntervalMs={pollIntervalMs}
    >
      {object => {
        const profile = object as unknown as AgentToolProfile;
        const { namespace, name } = profile.metadata;
        const readiness = profile.status?.readiness ?? 'Not reconciled';
        return (
          <Grid container spacing={3}>
            <Grid item xs={12} md={7}>
              <ToolPolicy profile={profile} />
            </Grid>
            <Grid item xs={12} md={5}>
              <InfoCard title="Readiness">
                <Chip
                  label={readiness}
                  aria-label={`Readiness ${readiness}`}
                  color={readiness === 'Ready' ? 'primary' : 'default'}
                  style={{ marginBottom: 8 }}
                />
                <ConditionList
                  conditions={profile.status?.conditions}
                  empty="No controller has reported on this profile yet."
                />
              </InfoCard>
            </Grid>
            <Grid item xs={12}>
              <ToolChecker namespace={namespace} profile={name} />
            </Grid>
            <Grid item xs={12}>
              <StacksUsing
                namespace={namespace}
                what={`the tool profile ${name}`}
                uses={namesIn('toolProfile', name)}
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
