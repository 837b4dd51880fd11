import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';

const DEPTHS = [1, 2, 3, 4, 5];

/** The record the graph is drawn around and how far out, with the way back to the whole graph. */
export const NeighbourhoodControl = ({
  around,
  depth,
  onDepth,
  onWholeGraph,
}: {
  around: string;
  depth: number;
  onDepth: (depth: number) => void;
  onWholeGraph: () => void;
}) => (
  <Box display="flex" alignItems="center" gridGap={8}>
    <Chip
      label={`Around ${around}`}
      onDelete={onWholeGraph}
      aria-label={`Around ${around}`}
    />
    <TextField
      select
      id="memory-graph-depth"
      label="Depth"
      size="small"
      variant="outlined"
      value={depth}
      onChange={e => onDepth(Number(e.target.value))}
    >
      {DEPTHS.map(value => (
        <MenuItem key={value} value={value}>
          {value}
        </MenuItem>
      ))}
    </TextField>
  </Box>
);
