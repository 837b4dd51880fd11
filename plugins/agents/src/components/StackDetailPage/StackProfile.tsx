import { InfoCard } from '@backstage/core-components';
import { AgentStack } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** The launch profile runs snapshot: every reference resolved, and its digest. */
export const StackProfile = ({ stack }: { stack: AgentStack }) => {
  const { profileDigest, effectiveProfile } = stack.status ?? {};
  return (
    <InfoCard title="Effective launch profile">
      {effectiveProfile === undefined ? (
        <Typography variant="body2" color="textSecondary">
          No effective profile: the controller resolves it once the stack is
          valid.
        </Typography>
      ) : (
        <>
          <Typography variant="body2" paragraph>
            Digest{' '}
            <code aria-label="Profile digest">{profileDigest ?? '—'}</code>.
            Each run records the digest of the profile it launched with.
          </Typography>
          <Box
            component="pre"
            p={1}
            m={0}
            bgcolor="background.default"
            maxHeight={480}
            overflow="auto"
            aria-label="Effective profile"
          >
            {JSON.stringify(effectiveProfile, null, 2)}
          </Box>
        </>
      )}
    </InfoCard>
  );
};
