import { InfoCard, Link } from '@backstage/core-components';
import { IdentitiesOverview } from '@krate/plugin-agents-common';
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

const COLUMNS = [
  'Name',
  'Purpose',
  'ServiceAccount',
  'Synced',
  'Bindings',
  'Grants',
  'Stacks',
  '',
];

function syncedText(synced?: boolean) {
  if (synced === undefined) return 'not yet';
  return synced ? 'yes' : 'no';
}

/**
 * The org's agent and runner identities: the native ServiceAccount each is projected to and
 * whether it is in sync, the bindings and grants naming it, and the stacks that run as it.
 */
export const ServiceAccountsCard = ({
  namespace,
  accounts,
}: {
  namespace: string;
  accounts: IdentitiesOverview['serviceAccounts'];
}) => {
  const paths = useAgentsPaths();
  return (
    <InfoCard title="Service accounts" noPadding>
      {accounts.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No AgentServiceAccount in {namespace} yet: agents and runners run as
          one, and grants and bindings name it.
        </Typography>
      ) : (
        <TableContainer>
          <Table size="small" aria-label="Service accounts">
            <ColumnHeads columns={COLUMNS} />
            <TableBody>
              {accounts.map(account => (
                <TableRow key={account.name}>
                  <TableCell>
                    <Link
                      to={paths.resource(
                        'agentserviceaccounts',
                        namespace,
                        account.name,
                      )}
                    >
                      {account.name}
                    </Link>
                  </TableCell>
                  <TableCell>{account.purpose}</TableCell>
                  <TableCell>
                    <code>{account.serviceAccountName}</code>
                  </TableCell>
                  <TableCell>{syncedText(account.synced)}</TableCell>
                  <TableCell>
                    <NameLinks
                      names={account.bindings}
                      to={name =>
                        paths.resource('agentrolebindings', namespace, name)
                      }
                    />
                  </TableCell>
                  <TableCell>
                    {account.secretGrants.length +
                      account.configGrants.length ===
                      0 && '—'}
                    {account.secretGrants.length > 0 && (
                      <div>
                        Secrets:{' '}
                        <NameLinks
                          names={account.secretGrants}
                          to={name =>
                            paths.resource('agentsecretgrants', namespace, name)
                          }
                        />
                      </div>
                    )}
                    {account.configGrants.length > 0 && (
                      <div>
                        Config:{' '}
                        <NameLinks
                          names={account.configGrants}
                          to={name =>
                            paths.resource('agentconfiggrants', namespace, name)
                          }
                        />
                      </div>
                    )}
                  </TableCell>
                  <TableCell>
                    <NameLinks
                      names={account.stacks}
                      to={name => paths.stack(namespace, name)}
                    />
                  </TableCell>
                  <TableCell>
                    <ReviewAccessButton
                      namespace={namespace}
                      subject={{ kind: 'service-account', name: account.name }}
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
