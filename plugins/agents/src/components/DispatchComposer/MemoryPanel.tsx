import { useApi } from '@backstage/core-plugin-api';
import {
  AgentStack,
  MemoryQuery,
  MemorySelection,
} from '@krate/plugin-agents-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import useDebounce from 'react-use/esm/useDebounce';
import { agentsApiRef } from '../../api';
import { shortSha, formatUtc } from '../../lib/commitText';
import { serverMessage } from '../../lib/serverMessage';
import { MemoryPreviewResults } from './MemoryPreviewResults';
import { MemoryQueryEditor } from './MemoryQueryEditor';
import { memoryQueryText } from './memoryQueryText';
import {
  EMPTY_DRAFT,
  MemoryDraft,
  orgOf,
  PointMode,
  pointOf,
  queryOf,
  selectionOf,
} from './memorySelectionDraft';

const RESOLVE_DELAY_MS = 400;

const NONE = '\u0000none';

const MODES: { mode: PointMode; label: string; field?: string }[] = [
  { mode: 'current', label: 'Current' },
  { mode: 'ref', label: 'Ref', field: 'Branch, tag or commit' },
  { mode: 'tag', label: 'Tag', field: 'Tag' },
  { mode: 'at', label: 'At a time', field: 'Time (UTC)' },
];

export interface MemoryPanelProps {
  /** The composer's org: the memory read unless another is picked. */
  namespace: string;
  stack?: AgentStack;
  /** The `memory` of the request, undefined when the user set nothing. */
  onChange: (selection: MemorySelection | undefined) => void;
  /** What the API said about the request's `memory`. */
  error?: string;
}

/**
 * The composer's memory: which org's memory the run reads, at which point in time (always shown
 * as the commit it resolves to), and queries beyond the stack's, with a preview of what they
 * select and a warning for stale records.
 */
export const MemoryPanel = ({
  namespace,
  stack,
  onChange,
  error,
}: MemoryPanelProps) => {
  const agentsApi = useApi(agentsApiRef);
  const [draft, setDraft] = useState<MemoryDraft>(EMPTY_DRAFT);
  const change = (patch: Partial<MemoryDraft>) =>
    setDraft(current => ({ ...current, ...patch }));

  const selection = selectionOf(draft, namespace);
  const selectionKey = JSON.stringify(selection);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  useEffect(() => {
    onChangeRef.current(selectionKey ? JSON.parse(selectionKey) : undefined);
  }, [selectionKey]);

  const orgs = useAsync(
    async () => (await agentsApi.listMemoryOrgs()).items.map(i => i.org),
    [agentsApi],
  );
  const org = orgOf(draft, namespace);
  const hasMemory = org !== undefined && (orgs.value ?? []).includes(org);
  const point = pointOf(draft);
  const pointKey = JSON.stringify(point);
  // A ref or time being typed resolves once the typing pauses, not on every keystroke.
  const [settledPointKey, setSettledPointKey] = useState(pointKey);
  useDebounce(() => setSettledPointKey(pointKey), RESOLVE_DELAY_MS, [pointKey]);
  const resolved = useAsync(async () => {
    if (!org || !hasMemory) return undefined;
    return (await agentsApi.getMemoryStatus(org, JSON.parse(settledPointKey)))
      .resolved;
  }, [agentsApi, org, hasMemory, settledPointKey]);

  const stackSource = stack?.spec.memorySource;
  const stackQueries: MemoryQuery[] = stackSource?.queries ?? [];
  // The stack's queries read the stack's memory; they preview only when that is the one chosen.
  const stackOrg = stackSource?.org ?? namespace;
  const ownQueries = draft.queries
    .map(queryOf)
    .filter((q): q is MemoryQuery => Boolean(q));
  const queries = [...(stackOrg === org ? stackQueries : []), ...ownQueries];
  const queriesKey = JSON.stringify(queries);
  const [preview, runPreview] = useAsyncFn(
    async () =>
      agentsApi.previewMemory({
        org: org!,
        ...JSON.parse(pointKey),
        queries: JSON.parse(queriesKey),
      }),
    [agentsApi, org, pointKey, queriesKey],
  );

  let summary: string;
  if (!org) summary = 'No memory beyond the stack’s';
  else if (orgs.loading) summary = `Memory of ${org}`;
  else if (!hasMemory) summary = `${org} has no memory`;
  else if (resolved.value) {
    summary = `Memory of ${org} at ${shortSha(
      resolved.value.commit,
    )}, ${formatUtc(resolved.value.committedAt)} (from ${resolved.value.ref})`;
  } else if (resolved.error) summary = `Memory of ${org}: not resolved`;
  else summary = `Memory of ${org}: resolving…`;

  const sourceValue = { none: NONE, org: draft.org, default: '' }[draft.source];
  const modeField = MODES.find(m => m.mode === draft.mode)?.field;

  return (
    <Accordion>
      <AccordionSummary
        aria-controls="dispatch-memory"
        id="dispatch-memory-summary"
      >
        <Box display="flex" flexDirection="column">
          <Typography variant="subtitle1">Memory</Typography>
          <Typography
            variant="body2"
            color="textSecondary"
            title={resolved.value?.commit}
          >
            {summary}
          </Typography>
        </Box>
      </AccordionSummary>
      <AccordionDetails id="dispatch-memory">
        <Box display="flex" flexDirection="column" gridGap={16} width="100%">
          <Box display="flex" flexWrap="wrap" gridGap={16}>
            <TextField
              select
              id="dispatch-memory-org"
              label="Memory source"
              value={sourceValue}
              style={{ minWidth: 200 }}
              SelectProps={{ displayEmpty: true }}
              InputLabelProps={{ shrink: true }}
              onChange={e => {
                const value = e.target.value;
                if (value === NONE) change({ source: 'none', org: '' });
                else if (value) change({ source: 'org', org: value });
                else change({ source: 'default', org: '' });
              }}
            >
              <MenuItem value="">
                {namespace ? `${namespace} (the run’s org)` : 'The run’s org'}
              </MenuItem>
              {(orgs.value ?? [])
                .filter(other => other !== namespace)
                .map(other => (
                  <MenuItem key={other} value={other}>
                    {other}
                  </MenuItem>
                ))}
              <MenuItem value={NONE}>None</MenuItem>
            </TextField>
            {org && (
              <TextField
                select
                id="dispatch-memory-point"
                label="Point in time"
                value={draft.mode}
                style={{ minWidth: 140 }}
                onChange={e =>
                  change({ mode: e.target.value as PointMode, value: '' })
                }
              >
                {MODES.map(option => (
                  <MenuItem key={option.mode} value={option.mode}>
                    {option.label}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {org && modeField && (
              <TextField
                id="dispatch-memory-point-value"
                label={modeField}
                type={draft.mode === 'at' ? 'datetime-local' : 'text'}
                InputLabelProps={{ shrink: true }}
                value={draft.value}
                onChange={e => change({ value: e.target.value })}
              />
            )}
          </Box>
          {resolved.error && (
            <Alert severity="error">
              The point in time does not resolve:{' '}
              {serverMessage(resolved.error)}
            </Alert>
          )}
          {orgs.error && (
            <Alert severity="warning">
              Could not list the orgs with memory: {serverMessage(orgs.error)}
            </Alert>
          )}
          {stackQueries.length > 0 && (
            <Box role="group" aria-label="Memory queries from the stack">
              <Typography variant="subtitle2">
                From the stack
                {stackSource?.org ? ` (memory of ${stackSource.org})` : ''}
              </Typography>
              {stackQueries.map((query, index) => (
                <Typography key={index} variant="body2" color="textSecondary">
                  {memoryQueryText(query)}
                </Typography>
              ))}
            </Box>
          )}
          {org ? (
            <MemoryQueryEditor
              queries={draft.queries}
              onChange={queryDrafts => change({ queries: queryDrafts })}
            />
          ) : (
            <Typography variant="body2" color="textSecondary">
              The run reads only the memory its stack names.
            </Typography>
          )}
          {error && <Alert severity="error">{error}</Alert>}
          {org && hasMemory && (
            <Box>
              <Button
                variant="outlined"
                disabled={queries.length === 0 || preview.loading}
                onClick={() => runPreview()}
              >
                Preview memory
              </Button>
            </Box>
          )}
          {preview.error && (
            <Alert severity="error">
              Could not preview the memory: {serverMessage(preview.error)}
            </Alert>
          )}
          {preview.value && <MemoryPreviewResults preview={preview.value} />}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
};
