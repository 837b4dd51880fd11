import { ACTION_CLASSES } from './AgentToolProfile';
import { defineKind, ResourceOf } from './defineKind';
import {
  AnyJson,
  BaseStatusFields,
  EntityRefs,
  LocalName,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** States of a human gate. @public */
export const APPROVAL_STATES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'void',
] as const;

/**
 * What an approval can gate: the action classes of tool profiles, and `dispatch` — a run a
 * trigger rule with `requireApproval` created, held before its first attempt.
 * @public
 */
export const APPROVAL_ACTION_CLASSES = [...ACTION_CLASSES, 'dispatch'] as const;

/**
 * A human gate on a privileged action: what is asked, by whom, under which policy, and the
 * decision.
 * @public
 */
export const AgentApprovalKind = defineKind({
  kind: 'AgentApproval',
  plural: 'agentapprovals',
  shortNames: ['aapproval'],
  category: 'execution',
  description:
    'A pending or decided human gate on a tool, network, secret, shell, write-back, rebase or release action, or on a triggered dispatch.',
  spec: Obj({
    actionClass: StringEnum([...APPROVAL_ACTION_CLASSES]),
    target: Type.String({
      minLength: 1,
      description:
        'What the action touches: command, host, Secret key, branch, release…',
    }),
    detail: Type.Optional(
      AnyJson({
        description:
          'The request as the runtime reported it, with secrets redacted',
      }),
    ),
    toolName: Type.Optional(Type.String()),
    riskLevel: Type.Optional(StringEnum(['low', 'medium', 'high'])),
    requester: Type.String({
      minLength: 1,
      description:
        'Entity ref of the user, or AgentServiceAccount name of the agent, asking',
    }),
    run: Type.Optional(LocalName('AgentDispatchRun name')),
    attempt: Type.Optional(LocalName('AgentDispatchAttempt name')),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
    interactionId: Type.Optional(
      Type.String({ description: 'Runtime interaction the decision answers' }),
    ),
    policySource: Type.String({
      minLength: 1,
      description:
        'What required the gate, e.g. AgentToolProfile/payments-safe',
    }),
    requesterMayApprove: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'Whether the requester may decide their own request',
      }),
    ),
    approvers: Type.Optional(
      EntityRefs('Who was notified of the request (the stack’s approvers)'),
    ),
    requiredApprovals: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10,
        description:
          'How many distinct approvers must approve (N of the approvers); default 1',
      }),
    ),
    binding: Type.Optional(
      Obj(
        {
          artifact: LocalName('AgentReviewArtifact the approval is bound to'),
          digest: Type.String({
            description: 'The artifact digest approved; another diff voids it',
          }),
          writeBack: Type.String({
            description: 'Key of the write-back operation it approves',
          }),
          target: Type.String(),
          operation: AnyJson({
            description:
              'The exact operation: branch, title, base, body digest, number',
          }),
        },
        {
          description:
            'A write-back approval approves this exact diff and operation, nothing else',
        },
      ),
    ),
    expiryAction: Type.Optional(
      StringEnum(['reject', 'void'], {
        default: 'reject',
        description:
          'What expiry means: reject (the gate counts as rejected) or void (the request is dropped and may be asked again)',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    state: Type.Optional(StringEnum([...APPROVAL_STATES])),
    decidedBy: Type.Optional(
      Type.String({ description: 'Entity ref of who decided' }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 4096 })),
    decisionTime: Type.Optional(Timestamp()),
    approvals: Type.Optional(
      Type.Array(
        Obj({
          by: Type.String({ description: 'Entity ref of the approver' }),
          time: Timestamp(),
          reason: Type.Optional(Type.String({ maxLength: 4096 })),
        }),
        { description: 'Approvals so far, towards requiredApprovals' },
      ),
    ),
    expiresAt: Type.Optional(
      Timestamp('A pending approval expires at this time'),
    ),
  }),
  printerColumns: [
    { name: 'Action', type: 'string', jsonPath: '.spec.actionClass' },
    { name: 'Target', type: 'string', jsonPath: '.spec.target' },
    { name: 'State', type: 'string', jsonPath: '.status.state' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  indexes: {
    repository: 'spec.repository',
    phase: 'status.state',
  },
});

/** @public */
export type AgentApproval = ResourceOf<typeof AgentApprovalKind>;
