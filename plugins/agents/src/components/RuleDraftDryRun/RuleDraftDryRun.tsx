import { useApi } from '@backstage/core-plugin-api';
import {
  agentsResourcePermission,
  AgentTriggerRule,
  TRIGGER_EVENT_TYPES,
  TriggerDryRunResult,
  TriggerEventType,
  WebhookDelivery,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { agentsApiRef, AgentsResource } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { serverMessage } from '../../lib/serverMessage';
import { GatedButton } from '../GatedButton';
import { DryRunResultView } from '../RuleDryRunCard/DryRunResultView';
import { parseSampleEvent } from '../RuleDryRunCard/parseSampleEvent';
import { sampleEventText } from '../RuleDryRunCard/sampleEvents';
import { DeliverySamplePicker } from './DeliverySamplePicker';

export interface RuleDraftDryRunProps {
  /** The rule as the editor holds it, applied or not. */
  draft: AgentsResource;
  /** Whether the draft passes its schema; an invalid one is not sent. */
  valid: boolean;
}

/** The event types the draft listens to first, so a picked delivery's source fits the rule. */
function sourceFor(
  sources: TriggerEventType[],
  listens: TriggerEventType[],
): TriggerEventType {
  return sources.find(s => listens.includes(s)) ?? sources[0] ?? 'webhook';
}

/**
 * Tries the draft in the editor on a sample event before it is applied
 * (`POST /rules/dry-run`): the sample is written, pasted or taken from a recent delivery of the
 * org. Nothing is recorded or dispatched.
 */
export const RuleDraftDryRun = ({ draft, valid }: RuleDraftDryRunProps) => {
  const agentsApi = useApi(agentsApiRef);
  const rule = draft as unknown as AgentTriggerRule;
  const { namespace = '', name = '' } = rule.metadata ?? {};
  const listens = rule.spec?.source?.events ?? [];
  const [source, setSource] = useState<TriggerEventType>(listens[0] ?? 'issue');
  const [repository, setRepository] = useState(
    rule.spec?.source?.repositories?.[0] ?? '',
  );
  const [eventText, setEventText] = useState(() => sampleEventText(source));
  const [eventError, setEventError] = useState<string>();
  const [picked, setPicked] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<{
    of: string;
    result?: TriggerDryRunResult;
    error?: string;
  }>();
  const inputs = JSON.stringify([draft, source, repository, eventText]);
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentTriggerExecution', 'create'),
    namespace && name
      ? resourceRefOf('AgentTriggerRule', namespace, name)
      : undefined,
    `dry-run trigger rules in ${namespace}`,
  );

  const pick = async (delivery: WebhookDelivery) => {
    setPicked(delivery.metadata.name);
    setEventError(undefined);
    try {
      const sample = await agentsApi.getDeliverySample(
        delivery.metadata.name,
        delivery.metadata.namespace,
      );
      setSource(sourceFor(sample.sources, listens));
      setRepository(sample.repository ?? '');
      setEventText(JSON.stringify(sample.event, null, 2));
    } catch (error) {
      setEventError(
        `Could not load ${delivery.metadata.name}: ${serverMessage(error)}`,
      );
    }
  };

  const dryRun = async () => {
    const parsed = parseSampleEvent(eventText);
    if (parsed.error !== undefined) {
      setEventError(parsed.error);
      return;
    }
    setBusy(true);
    try {
      const result = await agentsApi.dryRunDraftRule(namespace, {
        rule,
        source,
        ...(repository.trim() ? { repository: repository.trim() } : {}),
        event: parsed.event,
      });
      setAnswer({ of: inputs, result });
    } catch (error) {
      setAnswer({ of: inputs, error: serverMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      component="section"
      aria-label="Dry run the draft"
      mt={2}
      p={2}
      border={1}
      borderColor="divider"
      borderRadius={4}
    >
      <Typography variant="subtitle1">Dry run before applying</Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        Evaluates a sample event against this draft the way a delivery is
        evaluated. Nothing is recorded or dispatched, and the rule is not
        applied.
      </Typography>
      <Box mb={2}>
        <DeliverySamplePicker
          namespace={namespace}
          picked={picked}
          onPick={pick}
        />
      </Box>
      <Box display="flex" flexWrap="wrap" gridGap={16} mb={2}>
        <TextField
          select
          id="rule-draft-source"
          label="Source"
          variant="outlined"
          size="small"
          value={source}
          style={{ minWidth: 160 }}
          onChange={e => setSource(e.target.value as TriggerEventType)}
        >
          {TRIGGER_EVENT_TYPES.map(event => (
            <MenuItem key={event} value={event}>
              {event}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="rule-draft-repository"
          label="Repository"
          variant="outlined"
          size="small"
          value={repository}
          placeholder={`${namespace || '<org>'}/<repository>`}
          style={{ minWidth: 240 }}
          onChange={e => setRepository(e.target.value)}
        />
      </Box>
      {/* Fixed rows that scroll, as in the rule page's dry-run: an auto-growing box flickers. */}
      <TextField
        id="rule-draft-event"
        label="Sample event"
        multiline
        fullWidth
        rows={10}
        variant="outlined"
        value={eventText}
        error={Boolean(eventError)}
        helperText={
          eventError ??
          'The payload as the source delivers it (JSON); matchers and templates read it as event.<path>.'
        }
        inputProps={{ style: { fontFamily: 'monospace' } }}
        onChange={e => {
          setEventText(e.target.value);
          setEventError(undefined);
          setPicked(undefined);
        }}
      />
      <Box display="flex" alignItems="center" gridGap={8} mt={2}>
        <GatedButton
          variant="outlined"
          color="primary"
          disabled={busy || !valid}
          reason={forbidden}
          hint="Evaluates the sample against the draft; writes and dispatches nothing"
          onClick={dryRun}
        >
          Dry run
        </GatedButton>
        {!valid && (
          <Typography variant="body2" color="textSecondary">
            Fix the draft's problems to dry-run it.
          </Typography>
        )}
        {forbidden && (
          <Typography variant="body2" color="textSecondary">
            Dry run is disabled: {forbidden}
          </Typography>
        )}
      </Box>
      {answer && answer.of !== inputs && (
        <Box mt={2}>
          <Alert severity="info">
            The draft or the sample changed since this dry run: the result below
            is for the previous input.
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
    </Box>
  );
};
