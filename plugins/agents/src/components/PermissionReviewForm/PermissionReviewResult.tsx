import { PermissionReview } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import { AccessWarnings } from '../AccessFrame';

/** The answer of a permission review: the decision, the chain that decides it, why, and warnings. */
export const PermissionReviewResult = ({
  review,
}: {
  review: PermissionReview;
}) => {
  const allowed = review.decision === 'allowed';
  const about = review.action ?? `dispatch and run stack ${review.stack}`;
  return (
    <Box mt={2} aria-label="Review result" role="region">
      <Box display="flex" alignItems="center" gridGap={8} mb={1}>
        <Chip
          label={allowed ? 'Allowed' : 'Denied'}
          aria-label={`Decision ${review.decision}`}
          color={allowed ? 'primary' : 'secondary'}
        />
        <Typography variant="body2">
          {review.subject.kind} <code>{review.subject.name}</code> · {about}
        </Typography>
      </Box>
      <Typography variant="subtitle2">Decided by</Typography>
      {review.chain.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No membership, binding or grant applies.
        </Typography>
      ) : (
        <ol aria-label="Decision chain" style={{ marginTop: 4 }}>
          {review.chain.map((step, index) => (
            <li key={`${index}/${step.ref}`}>
              <Box display="flex" alignItems="center" gridGap={4}>
                {step.satisfied ? (
                  <CheckCircleIcon
                    fontSize="small"
                    color="primary"
                    titleAccess="holds"
                  />
                ) : (
                  <CancelIcon
                    fontSize="small"
                    color="secondary"
                    titleAccess="does not hold"
                  />
                )}
                <span>
                  {step.kind} <code>{step.ref}</code>: {step.detail}
                </span>
              </Box>
            </li>
          ))}
        </ol>
      )}
      {review.reasons.length > 0 && (
        <>
          <Typography variant="subtitle2">Why</Typography>
          <ul aria-label="Reasons" style={{ marginTop: 4 }}>
            {review.reasons.map(reason => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </>
      )}
      <AccessWarnings label="Review warnings" warnings={review.warnings} />
    </Box>
  );
};
