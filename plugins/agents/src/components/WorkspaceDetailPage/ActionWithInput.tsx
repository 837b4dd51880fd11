import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { useState } from 'react';
import { GatedButton } from '../GatedButton';

export interface ActionWithInputProps {
  id: string;
  label: string;
  placeholder: string;
  buttonLabel: string;
  /** Why the server would refuse the action now, if it would. */
  reason?: string;
  busy: boolean;
  onRun: (value: string) => void;
}

/** A workspace action that takes one text parameter: the field and the button that sends it. */
export const ActionWithInput = ({
  id,
  label,
  placeholder,
  buttonLabel,
  reason,
  busy,
  onRun,
}: ActionWithInputProps) => {
  const [value, setValue] = useState('');
  return (
    <Box display="flex" gridGap={8} alignItems="center">
      <TextField
        id={id}
        label={label}
        placeholder={placeholder}
        size="small"
        variant="outlined"
        value={value}
        onChange={e => setValue(e.target.value)}
      />
      <GatedButton
        size="small"
        variant="outlined"
        disabled={busy || !value.trim()}
        reason={reason}
        onClick={() => onRun(value.trim())}
      >
        {buttonLabel}
      </GatedButton>
    </Box>
  );
};
