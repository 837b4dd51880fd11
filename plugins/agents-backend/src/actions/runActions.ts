import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  AGENTS_PAGES_PATH,
  AgentDispatchRun,
  AgentReviewArtifact,
  agentsObjectPath,
  RunEvent,
  RunEventsPage,
} from '@krate/plugin-agents-common';
import { AgentsApiCaller, query } from './AgentsApiCaller';

/** The last agent message is cut to this many characters in a run summary. */
const MESSAGE_LIMIT = 2000;

const runLink = (namespace: string, name: string) =>
  `${AGENTS_PAGES_PATH}/${agentsObjectPath(
    'AgentDispatchRun',
    namespace,
    name,
  )}`;

/** `dispatch-run` and `get-run`: `POST /runs`, and a run with its artifacts and transcript. */
export function registerRunActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registry.register({
    name: 'dispatch-run',
    title: 'Dispatch an agent run',
    description:
      'Starts a run of an agent stack with a prompt, optionally on a repository (<org>/<repository>) and ref. Answers the run name, its phase and the link to watch it; follow it with get-run.',
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z.string().describe('The org, e.g. acme'),
          stack: z.string().describe('The AgentStack to run'),
          prompt: z.string().min(1).describe('What the agent should do'),
          repository: z
            .string()
            .optional()
            .describe('<org>/<repository> to work on'),
          ref: z.string().optional().describe('Branch, tag or commit'),
        }),
      output: z =>
        z.object({ run: z.string(), phase: z.string(), link: z.string() }),
    },
    action: async ({ input, credentials }) => {
      const run = await api.call<AgentDispatchRun>(
        credentials,
        'POST',
        '/runs',
        input,
      );
      return {
        output: {
          run: run.metadata.name,
          phase: run.status?.phase ?? 'Pending',
          link: runLink(run.metadata.namespace, run.metadata.name),
        },
      };
    },
  });

  registry.register({
    name: 'get-run',
    title: 'Get an agent run',
    description:
      "A run's phase and outcome, the review artifacts it produced (patches, comments) and a summary of its transcript: event and tool call counts, pending approvals and the agent's last message.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          namespace: z.string().describe('The org, e.g. acme'),
          run: z.string().describe('The run name'),
        }),
      output: z =>
        z.object({
          run: z.string(),
          stack: z.string(),
          phase: z.string(),
          reason: z.string().optional(),
          message: z.string().optional(),
          link: z.string(),
          artifacts: z.array(
            z.object({
              name: z.string(),
              kind: z.string(),
              title: z.string().optional(),
              state: z.string().optional(),
            }),
          ),
          transcript: z.object({
            events: z.number(),
            truncated: z
              .boolean()
              .describe('Counts and last message cover the first 5,000 events'),
            toolCalls: z.number(),
            approvalsRequested: z.number(),
            lastMessage: z.string().optional(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const { namespace } = input;
      const name = encodeURIComponent(input.run);
      const run = await api.call<AgentDispatchRun>(
        credentials,
        'GET',
        `/runs/${name}${query({ namespace })}`,
      );
      const [{ items: artifacts }, read] = await Promise.all([
        api.call<{ items: AgentReviewArtifact[] }>(
          credentials,
          'GET',
          `/artifacts${query({ run: input.run, namespace })}`,
        ),
        readEvents(api, credentials, name),
      ]);
      const { events } = read;
      const lastMessage = [...events]
        .reverse()
        .find(
          (e): e is Extract<RunEvent, { type: 'text' }> => e.type === 'text',
        );
      return {
        output: {
          run: run.metadata.name,
          stack: run.spec.stack,
          phase: run.status?.phase ?? 'Pending',
          ...(run.status?.reason ? { reason: run.status.reason } : {}),
          ...(run.status?.message ? { message: run.status.message } : {}),
          link: runLink(run.metadata.namespace, run.metadata.name),
          artifacts: artifacts.map(a => ({
            name: a.metadata.name,
            kind: a.spec.kind,
            ...(a.spec.title ? { title: a.spec.title } : {}),
            ...(a.status?.state ? { state: a.status.state } : {}),
          })),
          transcript: {
            events: read.total,
            truncated: read.truncated,
            toolCalls: events.filter(e => e.type === 'tool_call').length,
            approvalsRequested: events.filter(
              e => e.type === 'approval_requested',
            ).length,
            ...(lastMessage
              ? { lastMessage: lastMessage.text.slice(0, MESSAGE_LIMIT) }
              : {}),
          },
        },
      };
    },
  });
}

/** A summary reads at most this many pages of 1,000 events; longer logs are counted, not read. */
const MAX_EVENT_PAGES = 5;

/** The run's first events (bounded), and how many it has in all. */
async function readEvents(
  api: AgentsApiCaller,
  credentials: Parameters<AgentsApiCaller['call']>[0],
  run: string,
): Promise<{ events: RunEvent[]; total: number; truncated: boolean }> {
  const events: RunEvent[] = [];
  let sinceSeq = 0;
  let total = 0;
  for (let pages = 0; pages < MAX_EVENT_PAGES; pages++) {
    const page = await api.call<RunEventsPage>(
      credentials,
      'GET',
      `/runs/${run}/events${query({ sinceSeq: String(sinceSeq) })}`,
    );
    events.push(...page.items);
    total = page.lastSeq;
    if (page.nextSinceSeq === undefined) {
      return { events, total, truncated: false };
    }
    sinceSeq = page.nextSinceSeq;
  }
  return { events, total, truncated: true };
}
