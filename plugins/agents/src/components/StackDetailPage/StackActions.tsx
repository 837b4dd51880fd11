import { LinkButton } from '@backstage/core-components';
import {
  agentsResourcePermission,
  AgentStack,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { stackBlocker } from '../DispatchComposer/StackPicker';
import { kubectlApplyCommand, toDraft } from '../ResourceEditor';
import { CodeBlock } from '../CodeBlock';

/**
 * Edit in the builder, dispatch (disabled, with the reason, while the stack cannot run or the
 * caller may not dispatch) and copy the manifest as a `kubectl apply` command.
 */
export const StackActions = ({ stack }: { stack: AgentStack }) => {
  const paths = useAgentsPaths();
  const { namespace, name } = stack.metadata;
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentDispatchRun', 'create'),
    resourceRefOf('AgentStack', namespace, name),
    `dispatch runs in ${namespace}`,
  );
  const blocker = forbidden ?? stackBlocker(stack);
  const command = kubectlApplyCommand(toDraft(stack));
  const [copy, setCopy] = useState<'copied' | 'manual'>();

  const onCopy = async () => {
    try {
      if (!window.navigator.clipboard) throw new Error('no clipboard');
      await window.navigator.clipboard.writeText(command);
      setCopy('copied');
    } catch {
      setCopy('manual');
    }
  };

  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        gridGap={8}
        role="group"
        aria-label="Stack actions"
      >
        {blocker ? (
          <Button
            variant="contained"
            color="primary"
            disabled
            aria-describedby="stack-dispatch-blocked"
          >
            Dispatch
          </Button>
        ) : (
          <LinkButton
            to={paths.newRun({ namespace, stack: name })}
            variant="contained"
            color="primary"
          >
            Dispatch
          </LinkButton>
        )}
        <LinkButton to={paths.editStack(namespace, name)} variant="outlined">
          Edit in builder
        </LinkButton>
        <Button variant="outlined" onClick={onCopy}>
          Copy kubectl apply
        </Button>
        {copy === 'copied' && (
          <Typography variant="caption" role="status">
            Copied to the clipboard.
          </Typography>
        )}
      </Box>
      {blocker && (
        <Typography
          id="stack-dispatch-blocked"
          variant="body2"
          color="textSecondary"
        >
          Dispatch is disabled: {blocker}
        </Typography>
      )}
      {copy === 'manual' && (
        <Box>
          <Typography variant="caption" role="status">
            The clipboard is not available here; copy the command yourself:
          </Typography>
          <CodeBlock label="kubectl apply command">{command}</CodeBlock>
        </Box>
      )}
    </Box>
  );
};
