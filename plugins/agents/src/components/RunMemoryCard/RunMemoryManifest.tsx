import { MemoryQuery, ResolvedMemory } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { shortCitation } from '../../lib/commitText';
import { memoryQueryText } from '../DispatchComposer/memoryQueryText';

/** Per query of the run: what it asked and what it selected at the snapshot's commit. */
export const RunMemoryManifest = ({
  snapshot,
  queries,
}: {
  snapshot: ResolvedMemory;
  queries: MemoryQuery[];
}) => {
  const manifest = snapshot.manifest ?? [];
  const indexes = [
    ...new Set([...queries.keys(), ...manifest.map(entry => entry.query)]),
  ].sort((a, b) => a - b);
  if (indexes.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The run asked no memory queries.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {indexes.map(index => {
        const selected = manifest.filter(entry => entry.query === index);
        const query = queries[index];
        return (
          <Box
            key={index}
            role="group"
            aria-label={`Memory query ${index + 1}`}
          >
            <Typography variant="subtitle2">
              {query ? memoryQueryText(query) : `query ${index + 1}`}
            </Typography>
            {selected.length === 0 ? (
              <Typography variant="body2" color="textSecondary">
                selected nothing
              </Typography>
            ) : (
              selected.map((entry, i) => (
                <Typography key={i} variant="body2">
                  <code title={`${entry.path}@${snapshot.commit}`}>
                    {shortCitation(entry.path, snapshot.commit, entry.line)}
                  </code>
                  {entry.id ? ` ${entry.id}` : ''}
                </Typography>
              ))
            )}
          </Box>
        );
      })}
    </Box>
  );
};
