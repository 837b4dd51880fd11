import {
  AuthService,
  DiscoveryService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readFile } from 'node:fs/promises';
import { AgentsApiClient, AgentsRequestBody } from './AgentsApiClient';

/** One document's outcome, as `POST /apply` answers it. */
interface AppliedItem {
  kind: string;
  namespace: string;
  name: string;
  result: 'created' | 'configured' | 'unchanged';
}

const label = (item: AppliedItem) =>
  `${item.kind} ${item.namespace}/${item.name}`;

/**
 * `agents:apply`: applies agents resources the way `POST /api/agents/apply` does (all or
 * nothing), as the template's initiator. The resources are objects in the step's input, or a YAML
 * file of the workspace (for example one `fetch:template` rendered).
 *
 * @public
 */
export function createAgentsApplyAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const api = new AgentsApiClient(options.discovery, options.auth);
  return createTemplateAction({
    id: 'agents:apply',
    description:
      'Applies Krate Agents resources (stacks, trigger rules, …) through the agents backend, as the user running the template. Every document is validated and authorized before anything is written; one refusal writes nothing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Apply a stack given inline',
        example: `steps:
  - id: agents
    action: agents:apply
    input:
      resources:
        - apiVersion: agents.krate.dev/v1alpha1
          kind: AgentStack
          metadata: { name: onboarding, namespace: acme }
          spec: { runtime: scripted }`,
      },
      {
        description: 'Apply a YAML file of the workspace, as a dry run',
        example: `steps:
  - id: agents
    action: agents:apply
    input:
      manifestPath: agents/onboarding.yaml
      dryRun: true`,
      },
    ],
    schema: {
      input: {
        resources: z =>
          z
            .array(z.record(z.string(), z.unknown()))
            .optional()
            .describe('Agents resources (apiVersion, kind, metadata, spec)'),
        manifestPath: z =>
          z
            .string()
            .optional()
            .describe(
              'A YAML file (one or many documents) in the workspace, instead of resources',
            ),
        namespace: z =>
          z
            .string()
            .optional()
            .describe('The org of the documents that name none'),
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe('Validate and authorize only; write nothing'),
      },
      output: {
        created: z => z.array(z.string()).describe('"Kind org/name" created'),
        updated: z => z.array(z.string()).describe('"Kind org/name" changed'),
        unchanged: z =>
          z.array(z.string()).describe('"Kind org/name" already so'),
        dryRun: z => z.boolean().describe('Nothing was written'),
      },
    },
    async handler(ctx) {
      const { resources, manifestPath, namespace } = ctx.input;
      if ((resources === undefined) === (manifestPath === undefined)) {
        throw new InputError(
          'resources, manifestPath: give exactly one of them',
        );
      }
      if (resources?.length === 0) {
        throw new InputError('resources: nothing to apply');
      }
      const body: AgentsRequestBody = manifestPath
        ? {
            yaml: await readFile(
              resolveSafeChildPath(ctx.workspacePath, manifestPath),
              'utf8',
            ),
          }
        : { json: { apiVersion: 'v1', kind: 'List', items: resources } };
      const dryRun = Boolean(ctx.input.dryRun || ctx.isDryRun);
      const query = new URLSearchParams();
      if (dryRun) query.set('dryRun', 'All');
      if (namespace) query.set('namespace', namespace);
      const path = `/apply${query.size ? `?${query}` : ''}`;

      const { items } = await api.call<{ items: AppliedItem[] }>(
        await ctx.getInitiatorCredentials(),
        'POST',
        path,
        body,
      );
      const named = (result: AppliedItem['result']) =>
        items.filter(item => item.result === result).map(label);
      const outcome = {
        created: named('created'),
        updated: named('configured'),
        unchanged: named('unchanged'),
      };
      ctx.logger.info(
        `${dryRun ? 'Would apply' : 'Applied'}: ${
          items.map(item => `${label(item)} ${item.result}`).join(', ') ||
          'nothing'
        }`,
      );
      ctx.output('created', outcome.created);
      ctx.output('updated', outcome.updated);
      ctx.output('unchanged', outcome.unchanged);
      ctx.output('dryRun', dryRun);
    },
  });
}
