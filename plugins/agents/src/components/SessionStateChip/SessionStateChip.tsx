import Chip from '@material-ui/core/Chip';

export interface SessionStateChipProps {
  /** `binding-pending`, `active`, `idle` or `ended`; unset reads as binding pending. */
  state?: string;
}

/** A runtime session's state: active while an attempt works in it, idle when it may be continued. */
export const SessionStateChip = ({ state }: SessionStateChipProps) => {
  const label = state ?? 'binding-pending';
  return (
    <Chip
      size="small"
      label={label}
      color={label === 'active' ? 'primary' : 'default'}
      variant={label === 'active' ? 'default' : 'outlined'}
      aria-label={`Session state ${label}`}
    />
  );
};
