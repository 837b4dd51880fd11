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
  AccessWarnings,
  DraftButton,
  grantDraft,
  unusedName,
  useDraftEditor,
} from '../AccessFrame';
import { LiveStatus } from '../LiveStatus';
import { grantNames } from './consumerGrants';
import { SecretCard } from './SecretCard';

export interface SecretsPageProps {
  pollIntervalMs?: number;
}

const SecretInventoryView = ({
  org,
  pollIntervalMs,
}: {
  org: string;
  pollIntervalMs: number;
}) => {
  const agentsApi = useApi(agentsApiRef);
  const data = useLivePolling(
    async () => {
      const [inventory, stacks] = await Promise.all([
        agentsApi.getSecretInventory(org),
        agentsApi.listStacks({ namespace: org, limit: 500 }),
      ]);
      return { inventory, stacks: stacks.items };
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
        title={`Could not read the secret inventory of ${org}`}
        error={data.error!}
      />
    );
  }
  const { inventory, stacks } = data.value;
  const taken = grantNames(inventory);
  const newGrant = (
    <DraftButton
      label="New grant"
      variant="contained"
      color="primary"
      size="medium"
      draft={grantDraft({
        namespace: org,
        name: unusedName('new-secret-grant', taken),
        source: 'Secret',
        sourceName: '',
        keys: [''],
        subjects: [{ kind: 'agent', name: '' }],
        purpose: '',
      })}
      onOpen={editor.open}
    />
  );

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
          what="the inventory"
          error={data.error}
          updatedAt={data.updatedAt}
          mode={data.mode}
          intervalMs={data.intervalMs}
        />
        {inventory.items.length > 0 && newGrant}
      </Box>
      <AccessWarnings
        label="Inventory warnings"
        warnings={inventory.warnings}
      />
      {inventory.items.length === 0 ? (
        <EmptyState
          missing="data"
          title={`No Secrets or ConfigMaps in ${org}`}
          description="No secret source holds one for this org and nothing here needs one. Grants name Secret and ConfigMap keys, never their values."
          action={newGrant}
        />
      ) : (
        <Box display="flex" flexDirection="column" gridGap={16}>
          {inventory.items.map(item => (
            <SecretCard
              key={`${item.source}/${item.name}`}
              namespace={org}
              item={item}
              stacks={stacks}
              taken={taken}
              onOpen={editor.open}
            />
          ))}
        </Box>
      )}
      {editor.drawer}
    </>
  );
};

/**
 * The grant matrix of an org: every Secret and ConfigMap with its keys, where it lives, who
 * consumes it and the grants that give it to them, and the inventory's warnings. It never holds
 * a value: the inventory has none.
 */
export const SecretsPage = ({ pollIntervalMs = 10_000 }: SecretsPageProps) => (
  <AccessFrame
    title="Secrets"
    subtitle="Secret and ConfigMap keys, their consumers and grants"
  >
    {org => <SecretInventoryView org={org} pollIntervalMs={pollIntervalMs} />}
  </AccessFrame>
);
