import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { TriggerDryRunResult } from '@krate/plugin-agents-common';
import { AgentsApiCaller, query } from './AgentsApiCaller';

/** `dry-run-trigger-rule`: `POST /rules/:rule/dry-run`. */
export function registerRuleActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registry.register({
    name: 'dry-run-trigger-rule',
    title: 'Dry-run a trigger rule',
    description:
      'Evaluates a sample event (a webhook payload) against a trigger rule exactly as a delivery would be: which conditions match, what it would come to (dispatched, coalesced, rejected), the prompt of the run it would create. Dispatches nothing; the dry-run is recorded as a trigger execution marked dryRun.',
    // It records an AgentTriggerExecution (spec.dryRun: true), so it is not read-only.
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z.string().describe('The org, e.g. acme'),
          rule: z.string().describe('The AgentTriggerRule name'),
          source: z
            .string()
            .describe('The event type, e.g. label, issue_comment, push'),
          repository: z
            .string()
            .optional()
            .describe('<org>/<repository> the event comes from'),
          event: z
            .record(z.string(), z.unknown())
            .describe('The event payload'),
        }),
      output: z =>
        z.object({
          matched: z.boolean(),
          outcome: z.string(),
          reason: z.string().optional(),
          lifecycleDispatches: z.boolean(),
          conditions: z.array(
            z.object({
              description: z.string(),
              matched: z.boolean(),
              reason: z.string().optional(),
            }),
          ),
          prompt: z.string().optional(),
          missingFields: z.array(z.string()),
        }),
    },
    action: async ({ input, credentials }) => {
      const { namespace, rule, ...sample } = input;
      const result = await api.call<TriggerDryRunResult>(
        credentials,
        'POST',
        `/rules/${encodeURIComponent(rule)}/dry-run${query({ namespace })}`,
        sample,
      );
      return {
        output: {
          matched: result.matched,
          outcome: result.outcome,
          ...(result.reason ? { reason: result.reason } : {}),
          lifecycleDispatches: result.lifecycleDispatches,
          conditions: result.conditions.map(c => ({
            description: c.description,
            matched: c.matched,
            ...(c.reason ? { reason: c.reason } : {}),
          })),
          ...(result.run?.prompt ? { prompt: result.run.prompt } : {}),
          missingFields: result.missingFields,
        },
      };
    },
  });
}
