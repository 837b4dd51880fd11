import { InfoCard, Link } from '@backstage/core-components';
import { PermissionsOverview } from '@krate/plugin-agents-common';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { ColumnHeads } from '../ColumnHeads';

const COLUMNS = ['Name', 'Subjects', 'Role', 'Repository', 'Drift', 'Owner'];

export interface BindingsCardProps {
  namespace: string;
  bindings: PermissionsOverview['bindings'];
  /** The New role binding button. */
  action: ReactNode;
}

/** The org's role bindings: who gets which role where, whether the native binding drifted, who made it. */
export const BindingsCard = ({
  namespace,
  bindings,
  action,
}: BindingsCardProps) => {
  const paths = useAgentsPaths();
  return (
    <InfoCard title="Role bindings" action={action} noPadding>
      {bindings.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No AgentRoleBinding in {namespace} yet: nobody is given a role here.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Role bindings">
            <ColumnHeads columns={COLUMNS} />
            <TableBody>
              {bindings.map(binding => (
                <TableRow key={binding.name}>
                  <TableCell>
                    <Link
                      to={paths.resource(
                        'agentrolebindings',
                        namespace,
                        binding.name,
                      )}
                    >
                      {binding.name}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {binding.subjects.map(subject => (
                      <div key={`${subject.kind}/${subject.name}`}>
                        {subject.kind} <code>{subject.name}</code>
                      </div>
                    ))}
                  </TableCell>
                  <TableCell>
                    {binding.roleRef.kind}/{binding.roleRef.name}
                  </TableCell>
                  <TableCell>{binding.repository ?? 'the whole org'}</TableCell>
                  <TableCell>
                    {binding.drift && binding.drift !== 'InSync' ? (
                      <Chip
                        size="small"
                        color="secondary"
                        label={binding.drift}
                      />
                    ) : (
                      binding.drift ?? '—'
                    )}
                  </TableCell>
                  <TableCell>{binding.owner ?? '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </InfoCard>
  );
};
