import {
  AgentApproval,
  AgentReviewArtifact,
  WriteBackRecord,
  WriteBackRequestResponse,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import MuiLink from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { artifactWriteBackPermission } from '@krate/plugin-agents-common';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { shortDigest } from '../../lib/writeBackText';
import { GatedButton } from '../GatedButton';
import { ArtifactContent } from '../ArtifactContent';
import { ArtifactStateChip } from '../ArtifactStateChip';
import { WriteBackDialog } from './WriteBackDialog';
import { WriteBackList } from './WriteBackList';

/** One artifact of the run with its write-backs and the approvals they wait on. */
export interface ArtifactEntry {
  artifact: AgentReviewArtifact;
  writeBacks?: WriteBackRecord[];
  writeBacksError?: Error;
  approvals: Record<string, AgentApproval>;
}

/** The element id an artifact is found at, for links between superseded and new ones. */
export const artifactAnchor = (name: string) => `artifact-${name}`;

const ArtifactLink = ({ name }: { name: string }) => (
  <MuiLink href={`#${artifactAnchor(name)}`}>{name}</MuiLink>
);

export interface ArtifactItemProps {
  entry: ArtifactEntry;
  run: string;
  onRequested: (response: WriteBackRequestResponse) => void;
}

/**
 * An artifact as the server reports it: its state, what it is a diff of, its content on demand,
 * its write-backs, and the request for another one.
 */
export const ArtifactItem = ({
  entry,
  run,
  onRequested,
}: ArtifactItemProps) => {
  const { artifact, writeBacks, writeBacksError, approvals } = entry;
  const { spec, status = {} } = artifact;
  const { name } = artifact.metadata;
  const title = spec.title ?? name;
  const [expanded, setExpanded] = useState(false);
  const [requesting, setRequesting] = useState(false);
  const forbidden = usePermissionGate(
    artifactWriteBackPermission,
    resourceRefOf('AgentReviewArtifact', artifact.metadata.namespace, name),
    'request a write-back of this artifact',
  );
  const notWritable = unwritableReason(status.state);
  const what = spec.kind === 'patch' ? 'diff' : 'text';

  return (
    <Box
      id={artifactAnchor(name)}
      role="group"
      aria-label={`Artifact ${title}`}
      mb={3}
    >
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Typography variant="subtitle2">{title}</Typography>
        <Chip size="small" label={spec.kind} />
        <ArtifactStateChip state={status.state} />
        <Typography variant="caption" color="textSecondary">
          <code title={spec.digest}>{shortDigest(spec.digest)}</code>
          {spec.stat &&
            ` · ${spec.stat.files} file${spec.stat.files === 1 ? '' : 's'} +${
              spec.stat.insertions
            } −${spec.stat.deletions}`}
          {spec.attempt ? ` · attempt ${spec.attempt}` : ''}
        </Typography>
      </Box>
      {status.state === 'superseded' && (
        <Typography variant="body2" color="textSecondary">
          The workspace moved on: this diff is void
          {status.supersededBy ? (
            <>
              , superseded by <ArtifactLink name={status.supersededBy} />
            </>
          ) : (
            ''
          )}
          .
        </Typography>
      )}
      {spec.supersedes && (
        <Typography variant="body2" color="textSecondary">
          Replaces <ArtifactLink name={spec.supersedes} />.
        </Typography>
      )}
      {status.message && (
        <Typography variant="body2" color="textSecondary">
          {status.message}
        </Typography>
      )}
      {(spec.base || spec.head) && (
        <Typography variant="caption" color="textSecondary" component="div">
          {spec.base && (
            <>
              base <code>{spec.base.slice(0, 12)}</code>
            </>
          )}
          {spec.base && spec.head && ' · '}
          {spec.head && (
            <>
              head <code>{spec.head.slice(0, 12)}</code>
            </>
          )}
        </Typography>
      )}
      {spec.commits && spec.commits.length > 0 && (
        <Box component="ul" m={0} pl={2} aria-label={`Commits of ${title}`}>
          {spec.commits.map(commit => (
            <Typography component="li" variant="body2" key={commit.sha}>
              <code>{commit.sha.slice(0, 7)}</code> {commit.subject}
            </Typography>
          ))}
        </Box>
      )}
      {spec.uncommitted && (
        <Typography variant="body2" color="textSecondary">
          Uncommitted changes included: the diff has work the agent did not
          commit in the workspace.
        </Typography>
      )}
      <Box display="flex" gridGap={8} my={1}>
        <Button
          size="small"
          variant="outlined"
          aria-expanded={expanded}
          onClick={() => setExpanded(open => !open)}
        >
          {expanded ? `Hide ${what}` : `Show ${what}`}
        </Button>
        <GatedButton
          size="small"
          variant="outlined"
          color="primary"
          reason={notWritable ?? forbidden}
          onClick={() => setRequesting(true)}
        >
          Request write-back
        </GatedButton>
      </Box>
      {expanded && <ArtifactContent artifact={artifact} />}
      <WriteBackList
        writeBacks={writeBacks}
        approvals={approvals}
        error={writeBacksError}
      />
      {requesting && (
        <WriteBackDialog
          artifact={artifact}
          run={run}
          onClose={() => setRequesting(false)}
          onRequested={response => {
            setRequesting(false);
            onRequested(response);
          }}
        />
      )}
    </Box>
  );
};

/** Why an artifact in `state` cannot be written back, as the server would refuse it. */
function unwritableReason(state: string | undefined): string | undefined {
  switch (state ?? 'pending') {
    case 'superseded':
      return 'void — the diff changed: request the write-back of the newer artifact';
    case 'changes-requested':
      return 'Changes were requested: the follow-up’s artifact is written back instead';
    case 'pending':
      return 'The artifact is not ready yet';
    default:
      return undefined;
  }
}
