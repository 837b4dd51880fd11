import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentContextBundle,
  AgentDispatchAttempt,
} from '@krate/plugin-agents-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';
import { serverMessage, statusOf } from '../../lib/serverMessage';
import { ContextParts } from './ContextParts';

export interface ExecutionContextPanelProps {
  namespace: string;
  attempts: AgentDispatchAttempt[];
  currentAttempt?: string;
}

/**
 * What the agent was given: the attempt's context bundle part by part, with where each part
 * came from, how much was redacted, and the digests that pin it.
 */
export const ExecutionContextPanel = ({
  namespace,
  attempts,
  currentAttempt,
}: ExecutionContextPanelProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [chosen, setChosen] = useState<string>();
  const attemptName = chosen ?? currentAttempt ?? attempts[0]?.metadata.name;
  const attempt = attempts.find(a => a.metadata.name === attemptName);
  const bundleName =
    attempt?.spec.contextBundle ??
    (attemptName ? `${attemptName}-context` : undefined);

  const bundle = useAsync(async () => {
    if (!bundleName) return undefined;
    return (await agentsApi.getResource(
      'agentcontextbundles',
      namespace,
      bundleName,
    )) as unknown as AgentContextBundle;
  }, [agentsApi, namespace, bundleName]);

  let body;
  if (!bundleName) {
    body = (
      <Typography color="textSecondary">
        The context is assembled when the first attempt starts.
      </Typography>
    );
  } else if (bundle.loading) {
    body = <Progress />;
  } else if (bundle.error) {
    body =
      statusOf(bundle.error) === 404 ? (
        <Typography color="textSecondary">
          No context bundle {bundleName} (yet).
        </Typography>
      ) : (
        <Alert severity="error">
          Could not read {bundleName}: {serverMessage(bundle.error)}
        </Alert>
      );
  } else if (bundle.value) {
    const { parts, digest } = bundle.value.spec;
    body = (
      <ContextParts
        label={
          <>
            Bundle <code>{bundleName}</code>
          </>
        }
        parts={parts}
        digest={digest}
      />
    );
  }

  return (
    <InfoCard title="Execution context">
      {attempts.length > 1 && (
        <TextField
          select
          id="context-attempt"
          label="Attempt"
          size="small"
          value={attemptName ?? ''}
          onChange={e => setChosen(e.target.value)}
          style={{ marginBottom: 8, minWidth: 200 }}
        >
          {attempts.map(a => (
            <MenuItem key={a.metadata.name} value={a.metadata.name}>
              {a.metadata.name} ({a.spec.kind})
            </MenuItem>
          ))}
        </TextField>
      )}
      {body}
    </InfoCard>
  );
};
