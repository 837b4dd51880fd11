import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  agentsResourcePermission,
  AgentTriggerRule,
  TriggerDryRunRequest,
  TriggerDryRunResult,
  TriggerEventType,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { FormEvent, useState } from 'react';
import { agentsApiRef } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { serverMessage } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';
import { DryRunResultView } from './DryRunResultView';
import { parseSampleEvent } from './parseSampleEvent';
import { sampleEventText } from './sampleEvents';

export interface RuleDryRunCardProps {
  rule: AgentTriggerRule;
  /** Called after a dry-run was recorded, e.g. to read the rule's executions again. */
  onDryRun?: () => void;
}

/**
 * Tries a rule on a sample event (`POST /rules/:rule/dry-run`): which conditions match, the
 * dedupe key, the run a delivery would create with its rendered prompt, policy and context. The
 * backend records the evaluation as a dry-run execution and dispatches nothing.
 */
export const RuleDryRunCard = ({ rule, onDryRun }: RuleDryRunCardProps) => {
  const agentsApi = useApi(agentsApiRef);
  const { namespace, name } = rule.metadata;
  const { events, repositories } = rule.spec.source;
  const [source, setSource] = useState<TriggerEventType>(events[0]);
  const [repository, setRepository] = useState(repositories?.[0] ?? '');
  const [eventText, setEventText] = useState(() => sampleEventText(events[0]));
  const [eventError, setEventError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{
    of: string;
    result?: TriggerDryRunResult;
    error?: string;
  }>();
  const formState = JSON.stringify([source, repository, eventText]);
  // The dry-run records an AgentTriggerExecution of this rule's org; the framework decides on the
  // rule, which is stored in the same org.
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentTriggerExecution', 'create'),
    resourceRefOf('AgentTriggerRule', namespace, name),
    `dry-run trigger rules in ${namespace}`,
  );

  const chooseSource = (next: TriggerEventType) => {
    setSource(next);
    setEventText(sampleEventText(next));
    setEventError(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (forbidden || busy) return;
    const parsed = parseSampleEvent(eventText);
    if (parsed.error !== undefined) {
      setEventError(parsed.error);
      return;
    }
    const request: TriggerDryRunRequest = {
      source,
      ...(repository.trim() ? { repository: repository.trim() } : {}),
      event: parsed.event,
    };
    setBusy(true);
    try {
      const result = await agentsApi.dryRunRule(name, namespace, request);
      setAnswer({ of: formState, result });
      onDryRun?.();
    } catch (error) {
      setAnswer({ of: formState, error: serverMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title="Dry run">
      <Typography variant="body2" color="textSecondary" paragraph>
        Evaluates a sample event against this rule the way a delivery is
        evaluated, and records it as a dry-run execution. Nothing is dispatched.
      </Typography>
      <form onSubmit={submit} aria-label="Dry-run sample">
        <Box display="flex" flexWrap="wrap" gridGap={16} mb={2}>
          <TextField
            select
            id="rule-dry-run-source"
            label="Source"
            variant="outlined"
            size="small"
            value={source}
            style={{ minWidth: 180 }}
            onChange={e => chooseSource(e.target.value as TriggerEventType)}
          >
            {events.map(event => (
              <MenuItem key={event} value={event}>
                {event}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="rule-dry-run-repository"
            label="Repository"
            variant="outlined"
            size="small"
            value={repository}
            placeholder={`${namespace}/<repository>`}
            helperText={`<org>/<repository> of ${namespace}; empty for none`}
            style={{ minWidth: 280 }}
            onChange={e => setRepository(e.target.value)}
          />
        </Box>
        {/* A fixed height that scrolls: the auto-growing box re-measures itself after every
            render and, when its height changes its width, flips between two heights until MUI
            gives up ("The layout is unstable"). */}
        <TextField
          id="rule-dry-run-event"
          label="Sample event"
          multiline
          fullWidth
          rows={16}
          variant="outlined"
          value={eventText}
          error={Boolean(eventError)}
          helperText={
            eventError ??
            'The payload as the source delivers it; matchers and templates read it as event.<path>. Changing the source loads its sample.'
          }
          inputProps={{
            style: { fontFamily: 'monospace', resize: 'vertical' },
          }}
          onChange={e => {
            setEventText(e.target.value);
            setEventError(undefined);
          }}
        />
        <Box display="flex" alignItems="center" gridGap={8} mt={2}>
          <GatedButton
            type="submit"
            variant="contained"
            color="primary"
            disabled={busy}
            reason={forbidden}
            hint="Evaluates the sample; dispatches nothing"
          >
            Dry run
          </GatedButton>
          <Button variant="outlined" onClick={() => chooseSource(source)}>
            Reset sample
          </Button>
          {forbidden && (
            <Typography variant="body2" color="textSecondary">
              Dry run is disabled: {forbidden}
            </Typography>
          )}
        </Box>
      </form>
      {answer && answer.of !== formState && (
        <Box mt={2}>
          <Alert severity="info">
            The form changed since this dry run: the result below is for the
            previous input. Dry run again to see the new one.
          </Alert>
        </Box>
      )}
      {answer?.error && (
        <Box mt={2}>
          <Alert severity="error">Could not dry run: {answer.error}</Alert>
        </Box>
      )}
      {answer?.result && (
        <Box mt={2}>
          <DryRunResultView result={answer.result} namespace={namespace} />
        </Box>
      )}
    </InfoCard>
  );
};
