import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AgentContextLabel,
  AgentDispatchRun,
  agentsResourcePermission,
  AgentStack,
  DISPATCH_RUN_FIELDS,
  DispatchRunRequest,
  MemorySelection,
} from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormLabel from '@material-ui/core/FormLabel';
import Grid from '@material-ui/core/Grid';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { FormEvent, useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { agentsApiRef } from '../../api';
import { useAgentsPaths } from '../../hooks/useAgentsPaths';
import { usePermissionGate } from '../../hooks/usePermissionGate';
import { resourceRefOf } from '../../lib/resourceRef';
import { serverMessage } from '../../lib/serverMessage';
import { AgentsNav } from '../AgentsNav';
import { GatedButton } from '../GatedButton';
import { ContextPreviewCard } from './ContextPreviewCard';
import { CostEstimateCard } from './CostEstimateCard';
import { MemoryPanel } from './MemoryPanel';
import { stackBlocker, StackPicker } from './StackPicker';
import {
  budgetRefusal,
  DispatchField,
  useDispatchErrors,
} from './useDispatchErrors';
import { CodeBlock } from '../CodeBlock';

/** The request field an API error message names (`ref: must be …`), if any. */
export function fieldOfError(message: string): DispatchField | undefined {
  const match = /^([A-Za-z]+)[^\s:]*:/.exec(message);
  return DISPATCH_RUN_FIELDS.find(field => field === match?.[1]);
}

export interface DispatchComposerProps {
  /** A fixed org, e.g. the one of the catalog entity the composer sits on. */
  namespace?: string;
  /** A fixed `<org>/<repository>`. */
  repository?: string;
  /** Instead of opening the new run's page; set when the composer is part of another page. */
  onDispatched?: (run: AgentDispatchRun) => void;
  /** Without the page frame (header and navigation), for embedding. */
  embedded?: boolean;
}

/**
 * Dispatches a stack: pick the org and a stack that can run, write the prompt, optionally name
 * the repository, ref, context labels and workspace, and submit through `POST /runs`; the new
 * run's page opens. Errors the API reports about a field show next to that field.
 */
export const DispatchComposer = (props: DispatchComposerProps) => {
  const fixedNamespace = props.namespace;
  const fixedRepository = props.repository;
  const agentsApi = useApi(agentsApiRef);
  const paths = useAgentsPaths();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();

  const stacks = useAsync(
    () => agentsApi.listStacks({ limit: 500 }),
    [agentsApi],
  );
  const orgs = useMemo(
    () =>
      [
        ...new Set([
          ...(stacks.value?.items ?? []).map(s => s.metadata.namespace),
          ...(fixedNamespace ? [fixedNamespace] : []),
        ]),
      ].sort(),
    [stacks.value, fixedNamespace],
  );
  const [namespace, setNamespace] = useState(
    fixedNamespace ?? searchParams.get('namespace') ?? '',
  );
  useEffect(() => {
    if (!namespace && orgs.length) setNamespace(orgs[0]);
  }, [namespace, orgs]);

  const [stack, setStack] = useState(searchParams.get('stack') ?? '');
  const [prompt, setPrompt] = useState('');
  const [repository, setRepository] = useState(
    fixedRepository ?? searchParams.get('repository') ?? '',
  );
  const [ref, setRef] = useState('');
  const [labels, setLabels] = useState<string[]>([]);
  const [workspace, setWorkspace] = useState('');
  const [memory, setMemory] = useState<MemorySelection>();
  const [formError, setFormError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const orgStacks = (stacks.value?.items ?? []).filter(
    s => s.metadata.namespace === namespace,
  );
  const chosen: AgentStack | undefined = orgStacks.find(
    s => s.metadata.name === stack,
  );
  const stackLabels = chosen?.spec.defaultContextLabels ?? [];
  // The run does not exist before it is dispatched, and the permission framework only decides on
  // stored objects; the stack it launches is stored in the same org.
  const forbidden = usePermissionGate(
    agentsResourcePermission('AgentDispatchRun', 'create'),
    chosen ? resourceRefOf('AgentStack', namespace, stack) : undefined,
    `dispatch runs in ${namespace}`,
  );
  const blocker = forbidden ?? (chosen ? stackBlocker(chosen) : undefined);

  const options = useAsync(async () => {
    if (!namespace) return undefined;
    const [contextLabels, workspaces] = await Promise.all([
      agentsApi.listResources('agentcontextlabels', { namespace, limit: 500 }),
      agentsApi.listWorkspaces({ namespace, repository: fixedRepository }),
    ]);
    return {
      labels: contextLabels.items as unknown as AgentContextLabel[],
      workspaces: workspaces.items.filter(
        w => w.status?.state !== 'archived' && w.status?.state !== 'missing',
      ),
    };
  }, [agentsApi, namespace, fixedRepository]);

  const request: DispatchRunRequest = {
    namespace,
    stack,
    prompt,
    ...(repository.trim() ? { repository: repository.trim() } : {}),
    ...(ref.trim() ? { ref: ref.trim() } : {}),
    ...(labels.length ? { contextLabels: labels } : {}),
    ...(workspace ? { workspace } : {}),
    ...(memory ? { memory } : {}),
  };

  const fieldErrors = useDispatchErrors(request);
  const errors = fieldErrors.errors;

  let previewMissing: string | undefined;
  if (!stack) previewMissing = 'Pick a stack to preview its context.';
  else if (!prompt.trim())
    previewMissing = 'Write a prompt to preview the context.';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(undefined);
    if (!fieldErrors.attempt()) return;
    setBusy(true);
    try {
      const run = await agentsApi.createRun(request);
      if (props.onDispatched) {
        props.onDispatched(run);
        setPrompt('');
        fieldErrors.reset();
        setBusy(false);
      } else {
        navigate(paths.run(run.metadata.name));
      }
    } catch (error) {
      const message = serverMessage(error);
      const field = fieldOfError(message);
      if (field) fieldErrors.refuse(field, message);
      else setFormError(message);
      setBusy(false);
    }
  };

  const refusal = formError ? budgetRefusal(formError) : undefined;

  const toggleLabel = (name: string) =>
    setLabels(current =>
      current.includes(name)
        ? current.filter(l => l !== name)
        : [...current, name],
    );

  let body;
  if (stacks.loading) {
    body = <Progress />;
  } else if (stacks.error) {
    body = (
      <ResponseErrorPanel title="Could not list stacks" error={stacks.error} />
    );
  } else {
    body = (
      <form onSubmit={submit} aria-label="Dispatch a stack" noValidate>
        <Grid container spacing={3}>
          <Grid item xs={12} md={7}>
            <InfoCard title="What to run">
              <Box display="flex" flexDirection="column" gridGap={16}>
                <TextField
                  select
                  id="dispatch-namespace"
                  label="Org"
                  value={namespace}
                  disabled={Boolean(fixedNamespace)}
                  onChange={e => {
                    setNamespace(e.target.value);
                    setStack('');
                    setLabels([]);
                    setWorkspace('');
                  }}
                  error={Boolean(errors.namespace)}
                  helperText={errors.namespace}
                >
                  {orgs.map(org => (
                    <MenuItem key={org} value={org}>
                      {org}
                    </MenuItem>
                  ))}
                </TextField>
                <StackPicker
                  stacks={orgStacks}
                  value={stack}
                  onChange={setStack}
                  error={errors.stack}
                />
                <TextField
                  id="dispatch-prompt"
                  label="Prompt"
                  multiline
                  minRows={5}
                  variant="outlined"
                  required
                  value={prompt}
                  onChange={e => setPrompt(e.target.value)}
                  error={Boolean(errors.prompt)}
                  helperText={
                    errors.prompt ??
                    'Mention files as @path/to/file to include them in the context.'
                  }
                />
              </Box>
            </InfoCard>
          </Grid>
          <Grid item xs={12} md={5}>
            <InfoCard title="Where and with what">
              <Box display="flex" flexDirection="column" gridGap={16}>
                <TextField
                  id="dispatch-repository"
                  label="Repository"
                  placeholder="org/repository"
                  value={repository}
                  disabled={Boolean(fixedRepository)}
                  onChange={e => setRepository(e.target.value)}
                  error={Boolean(errors.repository)}
                  helperText={errors.repository}
                />
                <TextField
                  id="dispatch-ref"
                  label="Ref"
                  placeholder="main"
                  value={ref}
                  onChange={e => setRef(e.target.value)}
                  error={Boolean(errors.ref)}
                  helperText={errors.ref ?? 'Branch, tag or commit'}
                />
                <Box>
                  <FormLabel
                    component="legend"
                    error={Boolean(errors.contextLabels)}
                  >
                    Context labels
                  </FormLabel>
                  <Box
                    display="flex"
                    flexWrap="wrap"
                    gridGap={8}
                    mt={1}
                    role="group"
                    aria-label="Context labels"
                  >
                    {(options.value?.labels ?? []).map(label => {
                      const name = label.metadata.name;
                      const fromStack = stackLabels.includes(name);
                      const selected = fromStack || labels.includes(name);
                      return (
                        <Chip
                          key={name}
                          label={fromStack ? `${name} (from stack)` : name}
                          title={label.spec.description ?? label.spec.prompt}
                          color={selected ? 'primary' : 'default'}
                          variant={selected ? 'default' : 'outlined'}
                          disabled={fromStack}
                          onClick={
                            fromStack ? undefined : () => toggleLabel(name)
                          }
                          aria-pressed={selected}
                        />
                      );
                    })}
                    {options.value && options.value.labels.length === 0 && (
                      <Typography variant="body2" color="textSecondary">
                        This org has no context labels.
                      </Typography>
                    )}
                  </Box>
                  {errors.contextLabels && (
                    <Typography variant="caption" color="error">
                      {errors.contextLabels}
                    </Typography>
                  )}
                </Box>
                <TextField
                  select
                  id="dispatch-workspace"
                  label="Workspace"
                  value={workspace}
                  onChange={e => setWorkspace(e.target.value)}
                  error={Boolean(errors.workspace)}
                  helperText={
                    errors.workspace ??
                    'Work in an existing workspace, or let the run get its own.'
                  }
                  SelectProps={{ displayEmpty: true }}
                  InputLabelProps={{ shrink: true }}
                >
                  <MenuItem value="">
                    A new working directory for this run
                  </MenuItem>
                  {(options.value?.workspaces ?? []).map(w => (
                    <MenuItem key={w.metadata.name} value={w.metadata.name}>
                      {w.metadata.name} · {w.spec.repository} (
                      {w.status?.state ?? 'unknown'})
                    </MenuItem>
                  ))}
                </TextField>
                {options.error && (
                  <Alert severity="warning">
                    Could not list context labels or workspaces:{' '}
                    {serverMessage(options.error)}
                  </Alert>
                )}
              </Box>
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <CostEstimateCard
              namespace={namespace}
              stack={stack}
              prompt={prompt}
            />
          </Grid>
          <Grid item xs={12}>
            <MemoryPanel
              key={namespace}
              namespace={namespace}
              stack={chosen}
              onChange={setMemory}
              error={errors.memory}
            />
          </Grid>
          <Grid item xs={12}>
            <ContextPreviewCard request={request} missing={previewMissing} />
          </Grid>
          <Grid item xs={12}>
            {refusal !== undefined && (
              <Alert
                severity="error"
                style={{ marginBottom: 16 }}
                aria-label="Refused by a budget"
              >
                <AlertTitle>Refused: over budget</AlertTitle>
                {refusal} Nothing was dispatched; wait for the budget's window
                to free up or ask an admin to raise the limit.
              </Alert>
            )}
            {formError && refusal === undefined && (
              <Alert severity="error" style={{ marginBottom: 16 }}>
                {formError}
              </Alert>
            )}
            <Typography variant="body2" color="textSecondary" paragraph>
              Sends <code>POST /api/agents/runs</code> (permission{' '}
              <code>agents.run.create</code>, audited as{' '}
              <code>run-dispatch</code>):
            </Typography>
            <CodeBlock label="Request body">
              {JSON.stringify(request, null, 2)}
            </CodeBlock>
            <Box display="flex" alignItems="center" gridGap={16}>
              <GatedButton
                type="submit"
                variant="contained"
                color="primary"
                disabled={busy}
                reason={blocker}
                aria-describedby={forbidden ? 'dispatch-forbidden' : undefined}
              >
                Dispatch
              </GatedButton>
              {forbidden && (
                <Typography
                  id="dispatch-forbidden"
                  variant="body2"
                  color="error"
                >
                  {forbidden}
                </Typography>
              )}
            </Box>
          </Grid>
        </Grid>
      </form>
    );
  }

  if (props.embedded) return body;
  return (
    <Page themeId="tool">
      <Header title="New run" subtitle="Dispatch an agent stack" />
      <AgentsNav />
      <Content>{body}</Content>
    </Page>
  );
};
