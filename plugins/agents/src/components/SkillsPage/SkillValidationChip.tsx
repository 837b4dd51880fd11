import { AgentSkill } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

const COLOR: Record<string, 'primary' | 'secondary' | undefined> = {
  Valid: 'primary',
  Invalid: 'secondary',
};

/** The skill's validation state as a chip; "Not validated" until a controller has looked. */
export const SkillValidationChip = ({ skill }: { skill: AgentSkill }) => {
  const validation = skill.status?.validation ?? 'Not validated';
  return (
    <Chip
      size="small"
      label={validation}
      aria-label={`Validation ${validation}`}
      color={COLOR[validation] ?? 'default'}
      variant={validation === 'Valid' ? 'default' : 'outlined'}
    />
  );
};
