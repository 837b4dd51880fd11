import { agentsResourcePermission } from '@krate/plugin-agents-common';
import { ButtonProps } from '@material-ui/core/Button';
import { AgentsResource } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { GatedButton } from '../GatedButton';

export interface DraftButtonProps
  extends Omit<ButtonProps, 'onClick' | 'children'> {
  /** The new object the button opens in the editor. */
  draft: AgentsResource;
  label: string;
  onOpen: (draft: AgentsResource) => void;
}

/**
 * Opens a prepared new object in the resource editor, disabled (with the reason on hover) when
 * the caller may not create it: asked about the ref the object will have, as Apply is.
 */
export const DraftButton = ({
  draft,
  label,
  onOpen,
  ...buttonProps
}: DraftButtonProps) => {
  const { kind } = draft;
  const { namespace = '', name = '' } = draft.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission(kind, 'create'),
    resourceRefOf(kind, namespace, name),
    `create ${kind} ${namespace}/${name}`,
  );
  return (
    <GatedButton
      variant="outlined"
      size="small"
      {...buttonProps}
      reason={forbidden}
      hint={`Opens a prepared ${kind} in the editor`}
      onClick={() => onOpen(draft)}
    >
      {label}
    </GatedButton>
  );
};
