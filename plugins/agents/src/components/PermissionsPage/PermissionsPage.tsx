import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PermissionSubject } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useSearchParams } from 'react-router-dom';
import { agentsApiRef } from '../../api';
import { useLivePolling } from '../../hooks/useLivePolling';
import { inNamespace } from '../../hooks/useLiveRefresh';
import {
  ACCESS_KINDS,
  AccessFrame,
  AccessWarnings,
  DraftButton,
  roleBindingDraft,
  unusedName,
  useDraftEditor,
} from '../AccessFrame';
import { GrantGraph } from '../GrantGraph';
import { LiveStatus } from '../LiveStatus';
import { PermissionReviewForm } from '../PermissionReviewForm';
import { BindingsCard } from './BindingsCard';
import { RoleTemplatesCard } from './RoleTemplatesCard';

export interface PermissionsPageProps {
  pollIntervalMs?: number;
}

const SUBJECT_KINDS = ['user', 'team', 'service-account'];

/** The subject `?subjectKind=&subject=` asks to review, e.g. from an identity's Review access. */
function useRequestedSubject(): PermissionSubject | undefined {
  const [searchParams] = useSearchParams();
  const kind = searchParams.get('subjectKind') ?? '';
  const name = searchParams.get('subject') ?? '';
  return SUBJECT_KINDS.includes(kind) && name
    ? { kind: kind as PermissionSubject['kind'], name }
    : undefined;
}

const PermissionsView = ({
  org,
  pollIntervalMs,
}: {
  org: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const subject = useRequestedSubject();
  const data = useLivePolling(
    async () => {
      const [overview, stacks] = await Promise.all([
        agentsApi.getPermissionsOverview(org),
        agentsApi.listStacks({ namespace: org, limit: 500 }),
      ]);
      return { overview, stacks: stacks.items.map(s => s.metadata.name) };
    },
    [agentsApi, org],
    {
      kinds: ACCESS_KINDS,
      matches: inNamespace(org),
      intervalMs: pollIntervalMs,
    },
  );
  const editor = useDraftEditor(() => data.refresh());

  if (data.loading) return <Progress />;
  if (!data.value) {
    return (
      <ResponseErrorPanel
        title={`Could not read the permissions of ${org}`}
        error={data.error!}
      />
    );
  }
  const { overview, stacks } = data.value;
  const { roleTemplates, bindings, graph, warnings } = overview;
  const taken = bindings.map(b => b.name);
  const permissions = [
    ...new Set(roleTemplates.flatMap(t => t.permissions)),
  ].sort();

  if (!roleTemplates.length && !bindings.length && !graph.nodes.length) {
    return (
      <EmptyState
        missing="data"
        title={`No roles or bindings in ${org}`}
        description="The backend lists no role template, and nothing is bound or granted in this org."
      />
    );
  }

  return (
    <>
      <Box mb={2}>
        <LiveStatus
          what="the permissions"
          error={data.error}
          updatedAt={data.updatedAt}
          mode={data.mode}
          intervalMs={data.intervalMs}
        />
      </Box>
      <AccessWarnings label="Permission warnings" warnings={warnings} />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <PermissionReviewForm
            key={subject ? `${subject.kind}/${subject.name}` : 'none'}
            namespace={org}
            permissions={permissions}
            stacks={stacks}
            initialSubject={subject}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <RoleTemplatesCard
            namespace={org}
            templates={roleTemplates}
            taken={taken}
            onOpen={editor.open}
          />
        </Grid>
        <Grid item xs={12}>
          <BindingsCard
            namespace={org}
            bindings={bindings}
            action={
              <DraftButton
                label="New role binding"
                draft={roleBindingDraft(
                  org,
                  unusedName('new-role-binding', taken),
                )}
                onOpen={editor.open}
              />
            }
          />
        </Grid>
        <Grid item xs={12}>
          <InfoCard title="Grant graph">
            {graph.nodes.length ? (
              <GrantGraph nodes={graph.nodes} edges={graph.edges} />
            ) : (
              <Typography variant="body2">
                Nothing to draw: no binding or grant in {org}.
              </Typography>
            )}
          </InfoCard>
        </Grid>
      </Grid>
      {editor.drawer}
    </>
  );
};

/**
 * Who may do what in an org: the role templates, the bindings with their drift and owner, the
 * grant graph drawn, the escalation and drift warnings, and a review of one subject's access.
 */
export const PermissionsPage = ({
  pollIntervalMs = 10_000,
}: PermissionsPageProps) => (
  <AccessFrame
    title="Permissions"
    subtitle="Role templates, bindings, the grant graph and permission review"
  >
    {org => <PermissionsView org={org} pollIntervalMs={pollIntervalMs} />}
  </AccessFrame>
);
