import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  PointMode,
  pointModeOf,
  POINT_PARAMS,
  useMemoryPoint,
} from './useMemoryPoint';
import { fromUtcInput, toUtcInput } from './utcInput';

const MODES: { mode: PointMode; label: string; field?: string }[] = [
  { mode: 'current', label: 'Current' },
  { mode: 'ref', label: 'Ref', field: 'Branch, tag or commit' },
  { mode: 'tag', label: 'Tag', field: 'Tag' },
  { mode: 'at', label: 'At a time', field: 'Time (UTC)' },
];

const inputValueOf = ({ mode, value }: { mode: PointMode; value: string }) =>
  mode === 'at' ? toUtcInput(value) : value;

/**
 * Chooses the memory's point in time: the branch head, a ref (branch, tag or commit), a tag, or
 * the branch as it was at a UTC time. The choice lives in the URL so that links keep it.
 */
export const MemoryTimeTravel = () => {
  const [searchParams, setSearchParams] = useSearchParams();
  const chosen = pointModeOf(useMemoryPoint());
  const [mode, setMode] = useState(chosen.mode);
  const [value, setValue] = useState(inputValueOf(chosen));
  // Back and forward change the URL under the form.
  useEffect(() => {
    setMode(chosen.mode);
    setValue(inputValueOf(chosen));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen.mode, chosen.value]);

  const go = (nextMode: PointMode, nextValue: string) => {
    const next = new URLSearchParams(searchParams);
    for (const param of POINT_PARAMS) next.delete(param);
    if (nextMode !== 'current' && nextValue) {
      next.set(
        nextMode,
        nextMode === 'at' ? fromUtcInput(nextValue) : nextValue.trim(),
      );
    }
    setSearchParams(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    go(mode, value);
  };

  return (
    <form aria-label="Point in time" onSubmit={submit}>
      <Box display="flex" alignItems="center" gridGap={8}>
        <TextField
          select
          id="memory-point-mode"
          label="Point in time"
          size="small"
          variant="outlined"
          value={mode}
          style={{ minWidth: 140 }}
          onChange={e => {
            const nextMode = e.target.value as PointMode;
            setMode(nextMode);
            setValue('');
            if (nextMode === 'current') go('current', '');
          }}
        >
          {MODES.map(option => (
            <MenuItem key={option.mode} value={option.mode}>
              {option.label}
            </MenuItem>
          ))}
        </TextField>
        {mode !== 'current' && (
          <>
            <TextField
              id="memory-point-value"
              label={MODES.find(option => option.mode === mode)?.field}
              size="small"
              variant="outlined"
              required
              type={mode === 'at' ? 'datetime-local' : 'text'}
              InputLabelProps={{ shrink: true }}
              value={value}
              onChange={e => setValue(e.target.value)}
            />
            <Button type="submit" variant="outlined">
              Go
            </Button>
          </>
        )}
      </Box>
    </form>
  );
};
