import { InfoCard } from '@backstage/core-components';
import { PermissionSubject } from '@krate/plugin-agents-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { ColumnHeads } from '../ColumnHeads';
import { NameLinks } from './NameLinks';
import { ReviewAccessButton } from './ReviewAccessButton';

/** A user or a team as the identities overview lists it. */
export interface Person {
  ref: string;
  displayName?: string;
  /** The user's teams, or the team's members. */
  related: string[];
  bindings: string[];
}

export interface PeopleCardProps {
  namespace: string;
  title: 'Users' | 'Teams';
  kind: Extract<PermissionSubject['kind'], 'user' | 'team'>;
  /** The heading of `related`: Teams for users, Members for teams. */
  relatedLabel: string;
  people: Person[];
}

/** Users or teams from the catalog with the role bindings that name them. */
export const PeopleCard = ({
  namespace,
  title,
  kind,
  relatedLabel,
  people,
}: PeopleCardProps) => {
  const paths = useAgentsPaths();
  return (
    <InfoCard title={title} noPadding>
      {people.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No {title.toLowerCase()} in the catalog.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label={title}>
            <ColumnHeads
              columns={['Ref', 'Name', relatedLabel, 'Bindings', '']}
            />
            <TableBody>
              {people.map(person => (
                <TableRow key={person.ref}>
                  <TableCell>
                    <code>{person.ref}</code>
                  </TableCell>
                  <TableCell>{person.displayName ?? '—'}</TableCell>
                  <TableCell>
                    {person.related.length ? person.related.join(', ') : '—'}
                  </TableCell>
                  <TableCell>
                    <NameLinks
                      names={person.bindings}
                      to={name =>
                        paths.resource('agentrolebindings', namespace, name)
                      }
                    />
                  </TableCell>
                  <TableCell>
                    <ReviewAccessButton
                      namespace={namespace}
                      subject={{ kind, name: person.ref }}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </InfoCard>
  );
};
