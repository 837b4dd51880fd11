import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { MemorySearchAnswer } from '../../api';
import { useMemoryLinks } from '../../hooks/useMemoryLinks';
import { shortCitation } from '../../lib/commitText';

/** Matching lines, each with its record (a link to it) and its citation at the commit. */
export const MemorySearchResults = ({
  org,
  answer,
}: {
  org: string;
  answer: MemorySearchAnswer;
}) => {
  const links = useMemoryLinks(org);
  return (
    <List aria-label="Search results">
      {answer.results.map(result => (
        <ListItem key={result.citation} divider>
          <Box width="100%">
            <Box display="flex" alignItems="center" gridGap={8}>
              {result.record ? (
                <>
                  <Link to={links.record(result.record.id)}>
                    {result.record.title}
                  </Link>
                  <Chip size="small" label={result.record.kind} />
                </>
              ) : (
                <Typography variant="body2">{result.path}</Typography>
              )}
            </Box>
            <Box
              component="pre"
              my={0.5}
              p={0.5}
              bgcolor="background.default"
              style={{ whiteSpace: 'pre-wrap' }}
            >
              {result.text}
            </Box>
            <Typography variant="caption" color="textSecondary">
              <code title={result.citation}>
                {shortCitation(result.path, answer.commit, result.line)}
              </code>
            </Typography>
          </Box>
        </ListItem>
      ))}
    </List>
  );
};
