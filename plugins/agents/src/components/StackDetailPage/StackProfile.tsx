import { InfoCard } from '@backstage/core-components';
import { AgentStack } from '@krate/plugin-agents-common';
import Typography from '@material-ui/core/Typography';
import { CodeBlock } from '../CodeBlock';

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
          <CodeBlock label="Effective profile" maxHeight={480}>
            {JSON.stringify(effectiveProfile, null, 2)}
          </CodeBlock>
        </>
      )}
    </InfoCard>
  );
};
