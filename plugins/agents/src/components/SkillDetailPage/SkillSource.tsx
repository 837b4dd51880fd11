import { InfoCard } from '@backstage/core-components';
import { AgentSkill } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import { formatTime } from '../../lib/format';
import { DetailRow } from '../DetailRow';
import { ConditionList } from '../RegistryPage';
import { SkillValidationChip } from '../SkillsPage';

/** Where the skill comes from and what its last validation found. */
export const SkillSource = ({ skill }: { skill: AgentSkill }) => {
  const { source } = skill.spec;
  const status = skill.status ?? {};
  return (
    <InfoCard title="Source and validation">
      <DetailRow label="Repository">{source.repository}</DetailRow>
      <DetailRow label="Path">
        <code>{source.path}</code>
      </DetailRow>
      <DetailRow label="Ref">{source.ref ?? 'the default branch'}</DetailRow>
      <DetailRow label="Resolved commit">
        {status.resolvedCommit ? (
          <code aria-label="Resolved commit">{status.resolvedCommit}</code>
        ) : (
          'not resolved yet'
        )}
      </DetailRow>
      <DetailRow label="Validation">
        <SkillValidationChip skill={skill} />
      </DetailRow>
      <DetailRow label="Last validated">
        {formatTime(status.lastValidationTime)}
      </DetailRow>
      <Box mt={1}>
        <ConditionList
          conditions={status.conditions}
          empty="No controller has validated this skill yet."
        />
      </Box>
    </InfoCard>
  );
};
