import { InfoCard } from '@backstage/core-components';
import { RoleTemplate } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { AgentsResource } from '../../api';
import { DraftButton, roleBindingDraft, unusedName } from '../AccessFrame';
import { ColumnHeads } from '../ColumnHeads';

export interface RoleTemplatesCardProps {
  namespace: string;
  templates: RoleTemplate[];
  /** Binding names a prepared binding may not take. */
  taken: string[];
  onOpen: (draft: AgentsResource) => void;
}

/** The ClusterRoles Krate ships, what each permits, and a prepared binding to each. */
export const RoleTemplatesCard = ({
  namespace,
  templates,
  taken,
  onOpen,
}: RoleTemplatesCardProps) => (
  <InfoCard title="Role templates" noPadding>
    <TableContainer>
      <Table size="small" aria-label="Role templates">
        <ColumnHeads columns={['Role', 'Permissions', '']} />
        <TableBody>
          {templates.map(template => (
            <TableRow key={template.name}>
              <TableCell style={{ minWidth: 200 }}>
                <code style={{ whiteSpace: 'nowrap' }}>{template.name}</code>
                <Typography variant="caption" display="block">
                  {template.description}
                </Typography>
              </TableCell>
              <TableCell>
                <Typography variant="caption">
                  {template.permissions.join(', ')}
                </Typography>
              </TableCell>
              <TableCell>
                <DraftButton
                  label="Bind"
                  aria-label={`Bind ${template.name}`}
                  draft={roleBindingDraft(
                    namespace,
                    unusedName(
                      template.name.replace(/^krate-agents-/, ''),
                      taken,
                    ),
                    undefined,
                    template.name,
                  )}
                  onOpen={onOpen}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  </InfoCard>
);
