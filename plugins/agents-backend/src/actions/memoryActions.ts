import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { MemorySearchAnswer } from '../memory/searchMemory';
import { AgentsApiCaller, query } from './AgentsApiCaller';

/** `search-memory`: `GET /memory/search`. */
export function registerMemoryActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registry.register({
    name: 'search-memory',
    title: "Search an org's memory",
    description:
      "Searches the org's reviewed company-brain memory (Markdown records in git) for text and answers excerpts with citations (path@commit#Lline) and the record each is in. Records the caller may not see are left out and only counted.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          org: z.string().describe('The org, e.g. acme'),
          query: z.string().min(1).describe('The text to search for'),
          ignoreCase: z.boolean().optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
      output: z =>
        z.object({
          commit: z.string(),
          results: z.array(
            z.object({
              citation: z.string(),
              text: z.string(),
              record: z
                .object({ id: z.string(), kind: z.string(), title: z.string() })
                .optional(),
            }),
          ),
          withheld: z.number(),
          truncated: z.boolean(),
        }),
    },
    action: async ({ input, credentials }) => {
      const answer = await api.call<MemorySearchAnswer>(
        credentials,
        'GET',
        `/memory/search${query({
          org: input.org,
          q: input.query,
          ignoreCase: input.ignoreCase ? 'true' : undefined,
          limit: input.limit === undefined ? undefined : String(input.limit),
        })}`,
      );
      return {
        output: {
          commit: answer.commit,
          results: answer.results.map(r => ({
            citation: r.citation,
            text: r.text,
            ...(r.record ? { record: r.record } : {}),
          })),
          withheld: answer.withheld,
          truncated: answer.truncated,
        },
      };
    },
  });
}
