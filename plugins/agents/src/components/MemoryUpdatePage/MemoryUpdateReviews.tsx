import { InfoCard } from '@backstage/core-components';
import { AgentMemoryUpdate } from '@krate/plugin-agents-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { formatTime } from '../../lib/format';

/** Who approved or rejected the proposal, when, and what they said. */
export const MemoryUpdateReviews = ({
  update,
}: {
  update: AgentMemoryUpdate;
}) => {
  const reviews = update.status?.reviews ?? [];
  return (
    <InfoCard title="Reviews">
      {reviews.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No reviews yet.
        </Typography>
      ) : (
        <List dense aria-label="Reviews">
          {reviews.map((review, index) => (
            <ListItem key={index} disableGutters>
              <ListItemText
                primary={`${review.decision} by ${review.reviewer}`}
                secondary={`${formatTime(review.time)}${
                  review.comment ? ` — ${review.comment}` : ''
                }`}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
};
