import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { MemoryPreview, StaleMemoryRecord } from '../../api';
import { shortCitation } from '../../lib/commitText';
import { countOf, formatTime } from '../../lib/format';
import { memoryQueryText } from './memoryQueryText';

/** Records whose sources changed after their review: shown, never silently dropped. */
export const StaleMemoryWarning = ({ stale }: { stale: StaleMemoryRecord[] }) =>
  stale.length === 0 ? null : (
    <Alert severity="warning" aria-label="Stale memory">
      {countOf(stale.length, 'selected record')} may be stale: a source changed
      after the last review.
      <List dense disablePadding>
        {stale.map(record => (
          <ListItem key={record.id} disableGutters>
            <ListItemText
              primary={record.id}
              secondary={`reviewed ${record.reviewed}; ${
                record.source
              } changed ${formatTime(
                record.changedAt,
              )} (${record.changeCommit.slice(0, 7)})`}
            />
          </ListItem>
        ))}
      </List>
    </Alert>
  );

/** What each memory query selected at the resolved commit, with citations and withheld counts. */
export const MemoryPreviewResults = ({
  preview,
}: {
  preview: MemoryPreview;
}) => {
  const commit = preview.resolved.commit;
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <StaleMemoryWarning stale={preview.stale} />
      {preview.results.map((result, index) => (
        <Box
          key={index}
          role="region"
          aria-label={`Preview of ${memoryQueryText(result.query)}`}
        >
          <Typography variant="subtitle2">
            {memoryQueryText(result.query)}:{' '}
            {countOf(result.items.length, 'result')}
            {result.withheld > 0
              ? `, ${result.withheld} withheld (records you may not see)`
              : ''}
          </Typography>
          <List dense disablePadding>
            {result.items.map((item, i) => (
              <ListItem key={i} disableGutters>
                <ListItemText
                  primary={
                    <>
                      {item.title ?? item.id ?? item.path}
                      {item.kind ? ` (${item.kind})` : ''}{' '}
                      <code title={`${item.path}@${commit}`}>
                        {shortCitation(item.path, commit, item.line)}
                      </code>
                    </>
                  }
                  secondary={item.excerpt}
                />
              </ListItem>
            ))}
          </List>
        </Box>
      ))}
    </Box>
  );
};
