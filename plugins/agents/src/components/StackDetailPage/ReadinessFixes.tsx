import { Link } from '@backstage/core-components';
import { AgentStack, Condition } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { AgentsResource } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { serverMessage } from '../../lib/serverMessage';
import { DraftButton } from '../AccessFrame';
import { useReadinessFixes } from './useReadinessFixes';

function fixLabel(draft: AgentsResource): string {
  const { name } = draft.metadata;
  switch (draft.kind) {
    case 'AgentSecretGrant':
      return `Grant Secret ${draft.spec?.secretName}`;
    case 'AgentConfigGrant':
      return `Grant ConfigMap ${draft.spec?.configMapName}`;
    default:
      return `Create ${draft.kind} ${name}`;
  }
}

/**
 * The "Grant" actions of a readiness condition a missing grant or service account causes: each
 * opens the prepared object in the resource editor (form and YAML, dry-run diff, kubectl apply).
 * Once it is applied the stack controller checks the stack again, and the page shows the new
 * readiness when the stack's change is signalled.
 */
export const ReadinessFixes = ({
  stack,
  condition,
  open,
}: {
  stack: AgentStack;
  condition: Condition;
  /** Opens a prepared object in the stack page's editor, which outlives the fixed condition. */
  open: (draft: AgentsResource) => void;
}) => {
  const paths = useAgentsPaths();
  const fixes = useReadinessFixes(
    stack,
    condition.reason,
    `${condition.lastTransitionTime}/${condition.message}`,
  );

  let body;
  if (fixes.loading && !fixes.value) {
    body = (
      <Typography variant="caption">Preparing what would fix it…</Typography>
    );
  } else if (fixes.error) {
    body = (
      <Typography variant="caption">
        Could not prepare a fix: {serverMessage(fixes.error)}
      </Typography>
    );
  } else if (fixes.value?.drafts.length) {
    body = fixes.value.drafts.map(draft => (
      <DraftButton
        key={`${draft.kind}/${draft.metadata.name}`}
        label={fixLabel(draft)}
        draft={draft}
        onOpen={open}
      />
    ));
  } else if (fixes.value?.note) {
    body = (
      <Typography variant="caption">
        {fixes.value.note}
        {condition.reason === 'MissingSecret' && (
          <>
            {' '}
            <Link to={paths.secrets({ namespace: stack.metadata.namespace })}>
              Secrets of {stack.metadata.namespace}
            </Link>
          </>
        )}
      </Typography>
    );
  }

  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      gridGap={8}
      mt={1}
      role="group"
      aria-label={`Fix ${condition.reason}`}
    >
      {body}
    </Box>
  );
};
