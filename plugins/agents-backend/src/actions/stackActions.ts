import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AgentStack } from '@krate/plugin-agents-common';
import { AgentsApiCaller, query } from './AgentsApiCaller';

/** `list-stacks`: the org's stacks with their readiness, from `GET /stacks`. */
export function registerStackActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registry.register({
    name: 'list-stacks',
    title: 'List agent stacks',
    description:
      'Lists the agent stacks of an org (a namespace) with their runtime and readiness: Ready stacks can be dispatched; the conditions of the others say what is missing and how to fix it.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z.string().describe('The org, e.g. acme'),
        }),
      output: z =>
        z.object({
          stacks: z.array(
            z.object({
              name: z.string(),
              description: z.string().optional(),
              runtime: z.string(),
              readiness: z.string(),
              conditions: z.array(
                z.object({
                  type: z.string(),
                  status: z.string(),
                  reason: z.string().optional(),
                  message: z.string().optional(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { items } = await api.call<{ items: AgentStack[] }>(
        credentials,
        'GET',
        `/stacks${query({ namespace: input.namespace, limit: '500' })}`,
      );
      return {
        output: {
          stacks: items.map(stack => ({
            name: stack.metadata.name,
            ...(stack.spec.description
              ? { description: stack.spec.description }
              : {}),
            runtime: stack.spec.runtime,
            readiness: stack.status?.readiness ?? 'Unknown',
            conditions: (stack.status?.conditions ?? []).map(c => ({
              type: c.type,
              status: c.status,
              ...(c.reason ? { reason: c.reason } : {}),
              ...(c.message ? { message: c.message } : {}),
            })),
          })),
        },
      };
    },
  });
}
