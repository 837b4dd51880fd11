import {
  AuthService,
  DiscoveryService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  AGENTS_PAGES_PATH,
  AgentDispatchRun,
  agentsObjectPath,
} from '@krate/plugin-agents-common';
import { AgentsApiClient } from './AgentsApiClient';
import { waitForRepository } from './waitForRepository';

/**
 * `agents:dispatch`: dispatches a run of an agent stack (`POST /api/agents/runs`) as the
 * template's initiator and outputs the link to its page in the portal.
 *
 * @public
 */
export function createAgentsDispatchAction(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  config: RootConfigService;
}) {
  const api = new AgentsApiClient(options.discovery, options.auth);
  const appBaseUrl = options.config.getString('app.baseUrl').replace(/\/$/, '');
  return createTemplateAction({
    id: 'agents:dispatch',
    description:
      'Dispatches a run of a Krate Agents stack, optionally on a repository, as the user running the template, and outputs the link to the run in the portal. A template dry run dispatches nothing.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Onboard the repository the template created',
        example: `steps:
  - id: onboard
    action: agents:dispatch
    input:
      namespace: acme
      stack: onboarding
      repository: acme/new-service
      prompt: Read the repository and write ONBOARDING.md`,
      },
    ],
    schema: {
      input: {
        namespace: z => z.string().min(1).describe('The org, e.g. acme'),
        stack: z => z.string().min(1).describe('The AgentStack to run'),
        prompt: z => z.string().min(1).describe('What the agent should do'),
        repository: z =>
          z
            .string()
            .regex(/^[^/\s]+\/[^/\s]+$/, 'repository: expected <org>/<repo>')
            .optional()
            .describe('<org>/<repository> to work on'),
        ref: z => z.string().optional().describe('Branch, tag or commit'),
        contextLabels: z =>
          z
            .array(z.string())
            .optional()
            .describe('Context labels added to the stack defaults'),
        waitForRepositorySeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(600)
            .optional()
            .describe(
              'Wait up to this long for Krate Agents to know the repository (one the template has just registered in the catalog) before dispatching; default 0, dispatch at once',
            ),
      },
      output: {
        run: z => z.string().optional().describe('The run name'),
        phase: z =>
          z
            .string()
            .describe('The run phase, or NotDispatched in a template dry run'),
        runUrl: z =>
          z.string().optional().describe('The run page in the portal'),
      },
    },
    async handler(ctx) {
      const { namespace, stack, repository } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would dispatch stack ${namespace}/${stack}${
            repository ? ` on ${repository}` : ''
          }`,
        );
        ctx.output('phase', 'NotDispatched');
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const { waitForRepositorySeconds, ...dispatch } = ctx.input;
      if (repository && waitForRepositorySeconds) {
        ctx.logger.info(
          `Waiting up to ${waitForRepositorySeconds} s for Krate Agents to know ${repository}`,
        );
        await waitForRepository({
          api,
          credentials,
          repository,
          timeoutSeconds: waitForRepositorySeconds,
          signal: ctx.signal,
        });
      }
      // A task resumed after a restart finds the run it already dispatched.
      const run = await ctx.checkpoint({
        key: 'dispatch',
        fn: async () => {
          const created = await api.call<AgentDispatchRun>(
            credentials,
            'POST',
            '/runs',
            { json: dispatch },
          );
          return {
            name: created.metadata.name,
            namespace: created.metadata.namespace,
            phase: created.status?.phase ?? 'Queued',
          };
        },
      });
      const runUrl = `${appBaseUrl}${AGENTS_PAGES_PATH}/${agentsObjectPath(
        'AgentDispatchRun',
        run.namespace,
        run.name,
      )}`;
      ctx.logger.info(`Dispatched run ${run.name}: ${runUrl}`);
      ctx.output('run', run.name);
      ctx.output('phase', run.phase);
      ctx.output('runUrl', runUrl);
    },
  });
}
