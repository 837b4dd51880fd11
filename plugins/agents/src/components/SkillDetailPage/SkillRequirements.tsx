import { InfoCard } from '@backstage/core-components';
import { AgentSkill } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ColumnHeads } from '../ColumnHeads';
import { DetailRow } from '../DetailRow';

type KeyRef = { name: string; key: string };

const KeyTable = ({ label, refs }: { label: string; refs?: KeyRef[] }) =>
  refs?.length ? (
    <Table size="small" aria-label={label}>
      <ColumnHeads columns={['Name', 'Key']} />
      <TableBody>
        {refs.map(ref => (
          <TableRow key={`${ref.name}/${ref.key}`}>
            <TableCell>{ref.name}</TableCell>
            <TableCell>{ref.key}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  ) : (
    <>none</>
  );

export interface SkillRequirementsProps {
  skill: AgentSkill;
  /** The runtime ids the backend registers; undefined until known. */
  registered?: string[];
}

/**
 * The runtimes the skill works with (marking those this backend does not register) and the Secret
 * and ConfigMap keys it needs, by name only.
 */
export const SkillRequirements = ({
  skill,
  registered,
}: SkillRequirementsProps) => {
  const { compatibleRuntimes, requiredSecrets, requiredConfig } = skill.spec;
  return (
    <InfoCard title="Runtimes and requirements">
      <DetailRow label="Compatible runtimes">
        {compatibleRuntimes?.length ? (
          <Box
            display="flex"
            flexWrap="wrap"
            gridGap={4}
            role="list"
            aria-label="Compatible runtimes"
          >
            {compatibleRuntimes.map(runtime => {
              const missing = registered && !registered.includes(runtime);
              return (
                <div role="listitem" key={runtime}>
                  <Chip
                    size="small"
                    variant="outlined"
                    color={missing ? 'secondary' : 'default'}
                    label={missing ? `${runtime} (not registered)` : runtime}
                    title={
                      missing
                        ? `This backend registers no runtime ${runtime}`
                        : undefined
                    }
                  />
                </div>
              );
            })}
          </Box>
        ) : (
          'every runtime with skills'
        )}
      </DetailRow>
      <DetailRow label="Required secrets">
        <KeyTable label="Required secrets" refs={requiredSecrets} />
      </DetailRow>
      <DetailRow label="Required config">
        <KeyTable label="Required config" refs={requiredConfig} />
      </DetailRow>
      <Typography variant="caption" color="textSecondary">
        Names and keys only: values never reach the portal.
      </Typography>
    </InfoCard>
  );
};
