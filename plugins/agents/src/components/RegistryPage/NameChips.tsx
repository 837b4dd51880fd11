import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';

export interface NameChipsProps {
  /** The list's accessible name, e.g. "Denied commands". */
  label: string;
  names?: readonly string[];
  /** What an empty or unset list means, e.g. "every tool". */
  none: string;
}

/** A list of names or patterns as chips, or what its absence means. */
export const NameChips = ({ label, names, none }: NameChipsProps) =>
  names?.length ? (
    <Box
      display="flex"
      flexWrap="wrap"
      gridGap={4}
      role="list"
      aria-label={label}
    >
      {names.map(name => (
        <div role="listitem" key={name}>
          <Chip size="small" variant="outlined" label={<code>{name}</code>} />
        </div>
      ))}
    </Box>
  ) : (
    <>{none}</>
  );
