import { Link } from '@backstage/core-components';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { ReactNode } from 'react';

/** @public */
export interface AgentsSearchResultListItemProps {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  icon?: ReactNode;
  rank?: number;
}

function Highlighted(props: {
  field: 'title' | 'text';
  fallback: string;
  highlight?: ResultHighlight;
}) {
  const { field, fallback, highlight } = props;
  const text = highlight?.fields[field];
  return text ? (
    <HighlightedSearchResultText
      text={text}
      preTag={highlight.preTag}
      postTag={highlight.postTag}
    />
  ) : (
    <>{fallback}</>
  );
}

/**
 * One agents search result, laid out like the catalog's: its title linking to the object's page,
 * the indexed text, what it is and its org. The search page puts it in its list item.
 * @public
 */
export function AgentsSearchResultListItem({
  result,
  highlight,
  icon,
}: AgentsSearchResultListItemProps) {
  if (!result) {
    return null;
  }
  const document = result as SearchDocument & {
    kind?: string;
    namespace?: string;
    /** Memory records carry the commit they were indexed at. */
    commit?: string;
  };
  const what = document.commit
    ? `Memory record${document.kind ? ` · ${document.kind}` : ''}`
    : document.kind ?? 'Agents';
  return (
    <Box display="flex" aria-label={`Agents result ${result.title}`}>
      {icon && <ListItemIcon>{icon}</ListItemIcon>}
      <Box flexWrap="wrap">
        <ListItemText
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link noTrack to={result.location}>
              <Highlighted
                field="title"
                fallback={result.title}
                highlight={highlight}
              />
            </Link>
          }
          secondary={
            <Highlighted
              field="text"
              fallback={result.text}
              highlight={highlight}
            />
          }
        />
        <Box mb={2}>
          <Chip label={what} size="small" />
          {document.namespace && (
            <Chip label={`org: ${document.namespace}`} size="small" />
          )}
        </Box>
      </Box>
    </Box>
  );
}
