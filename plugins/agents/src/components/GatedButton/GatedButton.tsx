import Button, { ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';

export interface GatedButtonProps extends ButtonProps {
  /** Why the action cannot be taken now, from the server; the button is disabled while set. */
  reason?: string;
  /** What the action does, shown on hover while it is available. */
  hint?: string;
}

/** A button disabled by a reason the server gave, which shows on hover. */
export const GatedButton = ({
  reason,
  hint,
  disabled,
  ...buttonProps
}: GatedButtonProps) => (
  <Tooltip title={reason ?? hint ?? ''}>
    {/* A disabled button gets no pointer events; the wrapper still shows the tooltip. */}
    <span>
      <Button {...buttonProps} disabled={disabled || Boolean(reason)} />
    </span>
  </Tooltip>
);
