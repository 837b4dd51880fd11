import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';

export interface MemoryKindFilterProps {
  /** The ontology's node kinds. */
  kinds: string[];
  /** The kinds chosen; none means every kind. */
  selected: string[];
  onChange: (selected: string[]) => void;
  /** A colour per kind, for a filter that doubles as a legend. */
  colourOf?: (kind: string) => string;
}

/** Record kinds to show, chosen by toggling chips; none chosen shows all. */
export const MemoryKindFilter = ({
  kinds,
  selected,
  onChange,
  colourOf,
}: MemoryKindFilterProps) => {
  const toggle = (kind: string) =>
    onChange(
      selected.includes(kind)
        ? selected.filter(k => k !== kind)
        : [...selected, kind],
    );
  return (
    <Box
      role="group"
      aria-label="Record kinds"
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      gridGap={4}
    >
      <Typography variant="body2" color="textSecondary">
        Kinds:
      </Typography>
      {kinds.map(kind => {
        const on = selected.includes(kind);
        return (
          <Chip
            key={kind}
            size="small"
            label={kind}
            clickable
            aria-pressed={on}
            color={on ? 'primary' : 'default'}
            variant={on ? 'default' : 'outlined'}
            onClick={() => toggle(kind)}
            style={
              colourOf && !on ? { borderColor: colourOf(kind) } : undefined
            }
            icon={
              colourOf ? (
                <Box
                  component="span"
                  width={10}
                  height={10}
                  borderRadius="50%"
                  style={{ background: colourOf(kind) }}
                />
              ) : undefined
            }
          />
        );
      })}
      {selected.length > 0 && (
        <Chip size="small" label="All kinds" onClick={() => onChange([])} />
      )}
    </Box>
  );
};
