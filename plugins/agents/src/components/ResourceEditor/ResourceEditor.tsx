import { useApi } from '@backstage/core-plugin-api';
import {
  AgentKindDefinition,
  agentsResourcePermission,
  FieldError,
  validateResource,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useEffect, useMemo, useState } from 'react';
import { parse, stringify } from 'yaml';
import { agentsApiRef, AgentsResource, ApplyItem } from '../../api';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { GatedButton } from '../GatedButton';
import { ProposalOutcome } from './ProposalOutcome';
import { useConfigurationProposal } from './useConfigurationProposal';
import { ApplyResult } from './ApplyResult';
import { useSavedDraft } from './useSavedDraft';
import { setIn } from './draft';
import { SchemaForm, SchemaNode } from './SchemaForm';

const METADATA_SCHEMA: SchemaNode = {
  type: 'object',
  required: ['name', 'namespace'],
  properties: {
    name: {
      type: 'string',
      description: 'DNS label: lower-case letters, digits and -',
    },
    namespace: { type: 'string', description: 'The org' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Only what the author controls: server-set metadata and status stay out of drafts. */
function toDraft(object: AgentsResource): AgentsResource {
  const { name, namespace, labels, annotations } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name,
      namespace,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
    },
    spec: object.spec,
  };
}

/** What `kubectl apply` would take for the draft, for the "copy" action. */
export function kubectlApplyCommand(draft: AgentsResource): string {
  return `kubectl apply -f - <<'EOF'\n${stringify(draft)}EOF\n`;
}

export interface ResourceEditorProps {
  definition: AgentKindDefinition;
  /** The stored object, when editing one; a new draft otherwise. */
  applied?: AgentsResource;
  initialDraft: AgentsResource;
  onApplied?: (object: AgentsResource) => void;
  /**
   * Problems the kind's schema cannot express, such as a runtime this backend does not register;
   * they show at their field and block apply like schema errors.
   */
  check?: (draft: AgentsResource) => FieldError[];
  /** Told whether the draft holds edits that are neither applied nor the initial draft. */
  onUnsavedChange?: (unsaved: boolean) => void;
  /**
   * A kind's own try-out of the draft, shown before Apply, e.g. a trigger rule's dry-run;
   * `valid` says whether the draft passes the schema and `check`.
   */
  tryOut?: (draft: AgentsResource, valid: boolean) => ReactNode;
}

/**
 * Edits one resource draft as a form generated from the kind's schema or as YAML, kept in sync and
 * validated live against the same schema the API enforces. Applying goes through `POST /apply`,
 * the path `kubectl apply` uses; a dry run shows the resulting diff first.
 */
export function ResourceEditor(props: ResourceEditorProps) {
  const { definition, applied, onApplied, check, onUnsavedChange, tryOut } =
    props;
  const agentsApi = useApi(agentsApiRef);
  const [draft, setDraft] = useState<AgentsResource>(props.initialDraft);
  const [view, setView] = useState<'form' | 'yaml'>('form');
  const [yamlText, setYamlText] = useState(() => stringify(props.initialDraft));
  const [yamlError, setYamlError] = useState<string>();
  const [result, setResult] = useState<{
    item: ApplyItem;
    dryRun: boolean;
  }>();
  const [requestError, setRequestError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const initial = props.initialDraft.metadata ?? {};
  const drafts = useSavedDraft(
    applied
      ? `${definition.kind}/${initial.namespace}/${initial.name}`
      : `${definition.kind}/new`,
  );
  const savedDiffers =
    drafts.saved !== undefined &&
    stringify(drafts.saved.draft) !== stringify(draft);

  const problems = useMemo(() => {
    const validation = validateResource(draft);
    return [
      ...(validation.valid ? [] : validation.errors),
      ...(check?.(draft) ?? []),
    ];
  }, [draft, check]);
  const errors = useMemo(
    () => Object.fromEntries(problems.map(e => [e.path, e.message])),
    [problems],
  );
  const dirty = !applied || stringify(toDraft(applied)) !== stringify(draft);
  const unsaved =
    stringify(applied ? toDraft(applied) : props.initialDraft) !==
    stringify(draft);
  useEffect(() => onUnsavedChange?.(unsaved), [unsaved, onUnsavedChange]);
  const { name = '', namespace = '' } = draft.metadata ?? {};
  // A new object is asked about by the reference it will have once applied.
  const forbidden = usePermissionGate(
    agentsResourcePermission(definition.kind, applied ? 'update' : 'create'),
    name && namespace
      ? resourceRefOf(definition.kind, namespace, name)
      : undefined,
    `${applied ? 'update' : 'create'} ${definition.kind} ${namespace}/${name}`,
  );

  const update = (next: AgentsResource) => {
    setDraft(next);
    setYamlText(stringify(next));
    setYamlError(undefined);
    setResult(undefined);
  };

  const onYamlChange = (text: string) => {
    setYamlText(text);
    setResult(undefined);
    try {
      const parsed = parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        setYamlError('The YAML must be one object');
        return;
      }
      setDraft(parsed);
      setYamlError(undefined);
    } catch (e) {
      setYamlError(`Malformed YAML: ${(e as Error).message.split('\n')[0]}`);
    }
  };

  const submit = async (dryRun: boolean) => {
    setBusy(true);
    setRequestError(undefined);
    try {
      const response = await agentsApi.apply([draft], { dryRun });
      const [item] = response.items;
      setResult({ item, dryRun });
      if (!dryRun && item.object) {
        await drafts.drop();
        onApplied?.(item.object);
      }
    } catch (e) {
      setRequestError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const canSubmit = problems.length === 0 && !yamlError && !busy;
  const proposal = useConfigurationProposal(draft);
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1}>
        <Typography variant="h6" style={{ flexGrow: 1 }}>
          {definition.kind} {draft.metadata?.namespace ?? ''}/
          {draft.metadata?.name ?? ''}
        </Typography>
        <Chip
          size="small"
          label={dirty ? 'Draft differs from applied' : 'Applied'}
          color={dirty ? 'secondary' : 'default'}
        />
      </Box>
      {savedDiffers && (
        <Alert
          severity="info"
          aria-label="saved draft"
          action={
            <>
              <Button size="small" onClick={() => update(drafts.saved!.draft)}>
                Restore
              </Button>
              <Button size="small" onClick={() => drafts.drop()}>
                Discard
              </Button>
            </>
          }
        >
          You have a draft of this object saved at{' '}
          {new Date(drafts.saved!.savedAt).toLocaleString()}.
        </Alert>
      )}
      <Tabs value={view} onChange={(_, v) => setView(v)}>
        <Tab value="form" label="Form" />
        <Tab value="yaml" label="YAML" />
      </Tabs>
      {view === 'form' ? (
        <Box>
          <SchemaForm
            schema={METADATA_SCHEMA}
            path={['metadata']}
            draft={draft}
            errors={errors}
            onChange={(path, value) =>
              update(setIn(draft, path, value) as AgentsResource)
            }
          />
          <SchemaForm
            schema={definition.spec as unknown as SchemaNode}
            path={['spec']}
            draft={draft}
            errors={errors}
            onChange={(path, value) =>
              update(setIn(draft, path, value ?? undefined) as AgentsResource)
            }
          />
        </Box>
      ) : (
        <TextField
          multiline
          fullWidth
          variant="outlined"
          minRows={16}
          value={yamlText}
          onChange={e => onYamlChange(e.target.value)}
          inputProps={{
            'aria-label': 'YAML',
            style: { fontFamily: 'monospace' },
          }}
        />
      )}
      {yamlError && <Alert severity="error">{yamlError}</Alert>}
      {problems.length > 0 && (
        <Alert severity="warning" aria-label="validation">
          {problems.map(e => (
            <div key={`${e.path}:${e.message}`}>
              {e.path || '(root)'}: {e.message}
            </div>
          ))}
        </Alert>
      )}
      {requestError && <Alert severity="error">{requestError}</Alert>}
      {forbidden && (
        <Typography
          id="resource-apply-forbidden"
          variant="body2"
          color="error"
          style={{ marginTop: 8 }}
        >
          Apply is disabled: {forbidden}
        </Typography>
      )}
      {result && (
        <ApplyResult
          kind={definition.kind}
          item={result.item}
          dryRun={result.dryRun}
        />
      )}
      {proposal.outcome && <ProposalOutcome {...proposal.outcome} />}
      {tryOut?.(draft, problems.length === 0 && !yamlError)}
      <Box display="flex" flexWrap="wrap" mt={2} style={{ gap: 8 }}>
        <Button
          variant="outlined"
          disabled={!canSubmit}
          onClick={() => submit(true)}
        >
          Preview changes
        </Button>
        <GatedButton
          variant="contained"
          color="primary"
          disabled={!canSubmit}
          reason={forbidden}
          aria-describedby={forbidden ? 'resource-apply-forbidden' : undefined}
          onClick={() => submit(false)}
        >
          Apply
        </GatedButton>
        <Button
          onClick={() =>
            window.navigator.clipboard?.writeText(kubectlApplyCommand(draft))
          }
        >
          Copy kubectl apply
        </Button>
        <GatedButton
          disabled={!canSubmit || proposal.busy}
          reason={forbidden ?? proposal.unavailable}
          hint="Proposes the YAML to the org's configuration repository for review"
          onClick={() => proposal.propose()}
        >
          {proposal.label}
        </GatedButton>
        {drafts.available && (
          <Button disabled={!dirty} onClick={() => drafts.save(draft)}>
            Save draft
          </Button>
        )}
      </Box>
    </Box>
  );
}

export { toDraft };
