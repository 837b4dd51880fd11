import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import {
  ACCESS_KINDS,
  AccessFrame,
  DraftButton,
  roleBindingDraft,
  serviceAccountDraft,
  unusedName,
  useDraftEditor,
} from '../AccessFrame';
import { LiveStatus } from '../LiveStatus';
import { PeopleCard } from './PeopleCard';
import { ServiceAccountsCard } from './ServiceAccountsCard';

export interface IdentitiesPageProps {
  pollIntervalMs?: number;
}

const IdentitiesView = ({
  org,
  pollIntervalMs,
}: {
  org: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const overview = useLivePolling(
    () => agentsApi.getIdentitiesOverview(org),
    [agentsApi, org],
    {
      kinds: ACCESS_KINDS,
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  const editor = useDraftEditor(() => overview.refresh());

  if (overview.loading) return <Progress />;
  if (!overview.value) {
    return (
      <ResponseErrorPanel
        title={`Could not read the identities of ${org}`}
        error={overview.error!}
      />
    );
  }
  const { users, teams, serviceAccounts } = overview.value;
  const bindings = [...users, ...teams, ...serviceAccounts].flatMap(
    identity => identity.bindings,
  );
  const newServiceAccount = (
    <DraftButton
      label="New service account"
      variant="contained"
      color="primary"
      size="medium"
      draft={serviceAccountDraft(
        org,
        unusedName(
          'new-service-account',
          serviceAccounts.map(a => a.name),
        ),
      )}
      onOpen={editor.open}
    />
  );
  const empty = !users.length && !teams.length && !serviceAccounts.length;

  return (
    <>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        gridGap={16}
        mb={2}
      >
        <LiveStatus
          what="the identities"
          error={overview.error}
          updatedAt={overview.updatedAt}
          mode={overview.mode}
          intervalMs={overview.intervalMs}
        />
        <Box display="flex" gridGap={8}>
          {!empty && newServiceAccount}
          <DraftButton
            label="New role binding"
            size="medium"
            draft={roleBindingDraft(
              org,
              unusedName('new-role-binding', bindings),
            )}
            onOpen={editor.open}
          />
        </Box>
      </Box>
      {empty ? (
        <EmptyState
          missing="data"
          title={`No identities in ${org}`}
          description="No user or team is in the catalog and no agent or runner service account exists in this org."
          action={newServiceAccount}
        />
      ) : (
        <Box display="flex" flexDirection="column" gridGap={16}>
          <ServiceAccountsCard namespace={org} accounts={serviceAccounts} />
          <PeopleCard
            namespace={org}
            title="Teams"
            kind="team"
            relatedLabel="Members"
            people={teams.map(t => ({ ...t, related: t.members }))}
          />
          <PeopleCard
            namespace={org}
            title="Users"
            kind="user"
            relatedLabel="Teams"
            people={users.map(u => ({ ...u, related: u.teams }))}
          />
        </Box>
      )}
      {editor.drawer}
    </>
  );
};

/**
 * Who acts in an org: users and teams from the catalog, agent and runner service accounts, each
 * with the bindings and grants naming it and the stacks that run as it.
 */
export const IdentitiesPage = ({
  pollIntervalMs = 10_000,
}: IdentitiesPageProps) => (
  <AccessFrame
    title="Identities"
    subtitle="Users, teams, agent and runner service accounts"
  >
    {org => <IdentitiesView org={org} pollIntervalMs={pollIntervalMs} />}
  </AccessFrame>
);
