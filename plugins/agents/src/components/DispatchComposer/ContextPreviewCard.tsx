import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { DispatchRunRequest } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef, ContextPreview } from '../../api';
import { serverMessage } from '../../lib/serverMessage';
import { ContextParts } from '../ExecutionContextPanel';

export interface ContextPreviewCardProps {
  request: DispatchRunRequest;
  /** Why there is nothing to preview yet (no stack or prompt). */
  missing?: string;
}

/**
 * What the agent will be given if the form is dispatched as it is: the context bundle the backend
 * assembles for the same request (`POST /runs/preview`), redacted, part by part.
 */
export const ContextPreviewCard = ({
  request,
  missing,
}: ContextPreviewCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [preview, setPreview] = useState<{
    of: string;
    value?: ContextPreview;
    error?: string;
  }>();
  const [busy, setBusy] = useState(false);
  const current = JSON.stringify(request);

  const load = async () => {
    setBusy(true);
    try {
      setPreview({ of: current, value: await agentsApi.previewRun(request) });
    } catch (error) {
      setPreview({ of: current, error: serverMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Context preview">
      <Box display="flex" alignItems="center" gridGap={16} mb={1}>
        <Button
          variant="outlined"
          size="small"
          disabled={busy || Boolean(missing)}
          onClick={load}
        >
          Preview context
        </Button>
        <Typography variant="body2" color="textSecondary">
          {missing ??
            'Assembles the context bundle for this form without dispatching (POST /api/agents/runs/preview).'}
        </Typography>
      </Box>
      {preview && preview.of !== current && (
        <Alert severity="info">
          The form changed since this preview; preview again to see the new
          bundle.
        </Alert>
      )}
      {preview?.error && (
        <Alert severity="error">Could not preview: {preview.error}</Alert>
      )}
      {preview?.value && (
        <ContextParts
          label="Would send"
          parts={preview.value.parts}
          digest={preview.value.digest}
        />
      )}
    </InfoCard>
  );
};
