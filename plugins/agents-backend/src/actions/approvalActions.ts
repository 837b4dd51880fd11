import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AgentApproval } from '@krate/plugin-agents-common';
import { AgentsApiCaller, query } from './AgentsApiCaller';

/** `list-pending-approvals` and `decide-approval`: `GET /approvals`, `POST /approvals/:a/decision`. */
export function registerApprovalActions(
  registry: ActionsRegistryService,
  api: AgentsApiCaller,
) {
  registry.register({
    name: 'list-pending-approvals',
    title: 'List pending approvals',
    description:
      'The approvals of an org that wait for a decision: what an agent asks to do (action class and target), for which run, and who may decide.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({ namespace: z.string().describe('The org, e.g. acme') }),
      output: z =>
        z.object({
          approvals: z.array(
            z.object({
              name: z.string(),
              run: z.string().optional(),
              actionClass: z.string(),
              target: z.string(),
              requester: z.string(),
              approvers: z.array(z.string()).optional(),
              requestedAt: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { items } = await api.call<{ items: AgentApproval[] }>(
        credentials,
        'GET',
        `/approvals${query({
          namespace: input.namespace,
          phase: 'pending',
          limit: '500',
        })}`,
      );
      return {
        output: {
          approvals: items.map(a => ({
            name: a.metadata.name,
            ...(a.spec.run ? { run: a.spec.run } : {}),
            actionClass: a.spec.actionClass,
            target: a.spec.target,
            requester: a.spec.requester,
            ...(a.spec.approvers ? { approvers: a.spec.approvers } : {}),
            ...(a.metadata.creationTimestamp
              ? { requestedAt: a.metadata.creationTimestamp }
              : {}),
          })),
        },
      };
    },
  });

  registry.register({
    name: 'decide-approval',
    title: 'Approve or reject an approval',
    description:
      "Decides a pending approval as the caller: approve lets the agent's action go ahead, reject stops it. Only an allowed approver may decide, and a decided approval cannot be decided again.",
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          namespace: z.string().describe('The org, e.g. acme'),
          approval: z.string().describe('The approval name'),
          decision: z.enum(['approve', 'reject']),
          reason: z.string().optional(),
        }),
      output: z =>
        z.object({
          approval: z.string(),
          state: z.string(),
          decidedBy: z.string().optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const decided = await api.call<AgentApproval>(
        credentials,
        'POST',
        `/approvals/${encodeURIComponent(input.approval)}/decision${query({
          namespace: input.namespace,
        })}`,
        {
          decision: input.decision,
          ...(input.reason ? { reason: input.reason } : {}),
        },
      );
      return {
        output: {
          approval: decided.metadata.name,
          state: decided.status?.state ?? 'pending',
          ...(decided.status?.decidedBy
            ? { decidedBy: decided.status.decidedBy }
            : {}),
        },
      };
    },
  });
}
