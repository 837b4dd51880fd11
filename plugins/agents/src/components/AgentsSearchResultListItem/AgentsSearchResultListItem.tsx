import { Link } from '@backstage/core-components';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import Box from '@material-ui/core/Box';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { ReactNode } from 'react';
import {
  AgentsResultFacts,
  AgentsSearchDocumentFields,
} from './AgentsResultFacts';

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
 * the indexed text, what it is and its org; a run's phase, repository and stack; an approval's
 * state and the run that asked. The search page puts it in its list item.
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
        <AgentsResultFacts document={result as AgentsSearchDocumentFields} />
      </Box>
    </Box>
  );
}
