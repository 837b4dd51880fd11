import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

/** A list filter: one of `options`, or All. */
export const FilterChoice = (props: {
  /** Prefix of the field's id, e.g. `runs-filter`. */
  idPrefix: string;
  label: string;
  value?: string;
  options: readonly string[];
  onChange: (value?: string) => void;
}) => (
  <TextField
    select
    id={`${props.idPrefix}-${props.label.toLowerCase()}`}
    label={props.label}
    value={props.value ?? ''}
    onChange={e => props.onChange(e.target.value || undefined)}
    variant="outlined"
    size="small"
    style={{ minWidth: 160 }}
    SelectProps={{ displayEmpty: true }}
    InputLabelProps={{ shrink: true }}
  >
    <MenuItem value="">All</MenuItem>
    {props.options.map(option => (
      <MenuItem key={option} value={option}>
        {option}
      </MenuItem>
    ))}
  </TextField>
);
