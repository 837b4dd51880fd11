import Typography from '@material-ui/core/Typography';
import { MemoryResolvedCommit } from '../../api';
import { formatUtc, shortSha } from '../../lib/commitText';

/** Which commit a memory page shows: "Memory at 1a2b3c4, 2026-12-01 10:00 UTC (from main)". */
export const ResolvedCommit = ({
  resolved,
}: {
  resolved: MemoryResolvedCommit;
}) => (
  <Typography
    variant="body2"
    color="textSecondary"
    aria-label="Resolved commit"
    title={resolved.commit}
  >
    Memory at <code>{shortSha(resolved.commit)}</code>,{' '}
    {formatUtc(resolved.committedAt)} (from {resolved.ref})
  </Typography>
);
