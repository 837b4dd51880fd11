import { AgentApproval } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { formatTime } from '../../lib/format';
import { approvalProgress } from '../../lib/writeBackText';

export interface ApprovalProgressProps {
  approval: AgentApproval;
}

/** N of M: how many distinct approvers approved so far, who, and how many the gate needs. */
export const ApprovalProgress = ({ approval }: ApprovalProgressProps) => {
  const { approved, required, votes } = approvalProgress(approval);
  const label = `${approved} of ${required} approval${
    required === 1 ? '' : 's'
  }`;
  return (
    <Box aria-label={`Approvals ${approved} of ${required}`} role="group">
      <Box display="flex" alignItems="center" gridGap={8}>
        <Typography variant="body2">{label}</Typography>
        {required > 1 && (
          <LinearProgress
            variant="determinate"
            value={Math.min(100, (approved / required) * 100)}
            style={{ width: 80 }}
            aria-hidden
          />
        )}
      </Box>
      {votes.length > 0 && (
        <Box component="ul" m={0} pl={2}>
          {votes.map(vote => (
            <Typography
              component="li"
              variant="caption"
              color="textSecondary"
              key={`${vote.by}-${vote.time}`}
            >
              {vote.by}
              {vote.time ? ` at ${formatTime(vote.time)}` : ''}
              {vote.reason ? `: ${vote.reason}` : ''}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
};
