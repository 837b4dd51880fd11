import { InfoCard, Link } from '@backstage/core-components';
import {
  AgentStack,
  SecretInventoryItem,
  SecretKeyGrant,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { formatTime } from '../../lib/format';
import { DraftButton } from '../AccessFrame';
import { ColumnHeads } from '../ColumnHeads';
import {
  consumerGrantDraft,
  isGranted,
  itemGrantDraft,
} from './consumerGrants';
import { GrantStateChip } from './GrantStateChip';

const COLUMNS = ['Key', 'Held', 'Consumers', 'Grants'];

const PLURAL = {
  AgentSecretGrant: 'agentsecretgrants',
  AgentConfigGrant: 'agentconfiggrants',
} as const;

export interface SecretCardProps {
  namespace: string;
  item: SecretInventoryItem;
  stacks: AgentStack[];
  /** Names prepared grants may not take. */
  taken: string[];
  onOpen: (draft: AgentsResource) => void;
}

const GrantLine = ({
  namespace,
  grant,
}: {
  namespace: string;
  grant: SecretKeyGrant;
}) => {
  const paths = useAgentsPaths();
  return (
    <Box mb={0.5}>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={8}>
        <Link to={paths.resource(PLURAL[grant.kind], namespace, grant.name)}>
          {grant.name}
        </Link>
        <GrantStateChip state={grant.state} />
        {grant.expiresAt && (
          <Typography variant="caption">
            expires {formatTime(grant.expiresAt)}
          </Typography>
        )}
      </Box>
      <Typography variant="caption" color="textSecondary" display="block">
        to {grant.subjects.map(s => `${s.kind}:${s.name}`).join(', ')} ·{' '}
        {grant.purpose}
      </Typography>
    </Box>
  );
};

/**
 * One Secret or ConfigMap as a row of the grant matrix: its keys, whether a secret source holds
 * each, who consumes it and which grants give it to whom. A consumer no active grant covers gets
 * a Grant action preparing exactly that grant. Values are never part of it.
 */
export const SecretCard = ({
  namespace,
  item,
  stacks,
  taken,
  onOpen,
}: SecretCardProps) => {
  const held = item.from
    ? `Held by the ${item.from} secret source`
    : 'No secret source holds it';
  const rotated = item.lastRotationTime
    ? ` · last rotated ${formatTime(item.lastRotationTime)}`
    : '';
  return (
    <InfoCard
      title={`${item.source} ${item.name}`}
      subheader={`${held}${rotated}`}
      action={
        <DraftButton
          label="New grant"
          aria-label={`New grant of ${item.source} ${item.name}`}
          draft={itemGrantDraft({ namespace, item, stacks, taken })}
          onOpen={onOpen}
        />
      }
      noPadding
    >
      <TableContainer>
        <Table size="small" aria-label={`Keys of ${item.source} ${item.name}`}>
          <ColumnHeads columns={COLUMNS} />
          <TableBody>
            {item.keys.map(key => (
              <TableRow key={key.key}>
                <TableCell>
                  <code>{key.key}</code>
                </TableCell>
                <TableCell>
                  {key.present ? (
                    'yes'
                  ) : (
                    <Chip size="small" color="secondary" label="missing" />
                  )}
                </TableCell>
                <TableCell>
                  {key.consumers.length === 0 && '—'}
                  {key.consumers.map(consumer => {
                    const granted = isGranted(consumer, key.grants);
                    const who = `${consumer.kind} ${consumer.name}`;
                    return (
                      <Box
                        key={`${consumer.kind}/${consumer.name}`}
                        display="flex"
                        alignItems="center"
                        flexWrap="wrap"
                        gridGap={8}
                        mb={0.5}
                        title={consumer.field}
                      >
                        <span>{who}</span>
                        {granted ? (
                          <Typography variant="caption">granted</Typography>
                        ) : (
                          <>
                            <Chip
                              size="small"
                              variant="outlined"
                              label="no grant"
                            />
                            <DraftButton
                              label="Grant"
                              aria-label={`Grant ${key.key} to ${who}`}
                              draft={consumerGrantDraft({
                                namespace,
                                item,
                                key: key.key,
                                consumer,
                                stacks,
                                taken,
                              })}
                              onOpen={onOpen}
                            />
                          </>
                        )}
                      </Box>
                    );
                  })}
                </TableCell>
                <TableCell>
                  {key.grants.length === 0 && '—'}
                  {key.grants.map(grant => (
                    <GrantLine
                      key={`${grant.kind}/${grant.name}`}
                      namespace={namespace}
                      grant={grant}
                    />
                  ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </InfoCard>
  );
};
