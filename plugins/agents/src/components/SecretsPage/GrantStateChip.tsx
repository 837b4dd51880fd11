import { SecretKeyGrant } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';

/** A grant's state: only an active grant gives a key to anyone. */
export const GrantStateChip = ({
  state,
}: {
  state: SecretKeyGrant['state'];
}) => (
  <Chip
    size="small"
    label={state}
    color={state === 'active' ? 'primary' : 'secondary'}
    variant={state === 'active' ? 'default' : 'outlined'}
  />
);
