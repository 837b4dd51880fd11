import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/** A rolling window: 1 to 9999 hours or days, e.g. `24h`, `7d`. @public */
export const BUDGET_WINDOW_PATTERN = '^[1-9][0-9]{0,3}[hd]$';

/** A group entity ref, e.g. `group:default/payments`. @public */
export const GROUP_REF_PATTERN = '^group:([a-z0-9._-]+/)?[A-Za-z0-9._-]+$';

/**
 * A spending limit over a rolling window for the runs of one stack, one trigger rule or one
 * owner's stacks; dispatches that would go over are refused or held for an approval.
 * @public
 */
export const AgentBudgetKind = defineKind({
  kind: 'AgentBudget',
  plural: 'agentbudgets',
  shortNames: ['abudget'],
  category: 'configuration',
  description:
    'A spending limit in money and tokens, over a rolling window, for the runs of a stack, a trigger rule or an owner.',
  spec: Obj({
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    scope: Type.Object(
      {
        stack: Type.Optional(LocalName('AgentStack name')),
        rule: Type.Optional(LocalName('AgentTriggerRule name')),
        owner: Type.Optional(
          Type.String({
            pattern: GROUP_REF_PATTERN,
            description:
              'Group entity ref of the team whose stacks (spec.owner) it covers, e.g. group:default/payments',
          }),
        ),
      },
      {
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        description: 'Exactly one of stack, rule or owner',
      },
    ),
    window: Type.String({
      pattern: BUDGET_WINDOW_PATTERN,
      description: 'Rolling window in hours or days, e.g. 24h or 7d',
    }),
    limits: Type.Object(
      {
        usd: Type.Optional(
          Type.Number({ minimum: 0, description: 'USD, more than 0' }),
        ),
        tokens: Type.Optional(
          Type.Integer({
            minimum: 1,
            description: 'Input plus output tokens',
          }),
        ),
      },
      {
        additionalProperties: false,
        minProperties: 1,
        description: 'At least one of usd or tokens',
      },
    ),
    onExceed: Type.Optional(
      StringEnum(['refuse', 'requireApproval'], {
        default: 'refuse',
        description:
          'What happens to a dispatch that would go over: refused, or held for an approval',
      }),
    ),
    hardCap: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Whether a running attempt that crosses a limit is stopped (BudgetExceeded)',
      }),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
  }),
  printerColumns: [
    { name: 'Window', type: 'string', jsonPath: '.spec.window' },
    { name: 'USD', type: 'number', jsonPath: '.spec.limits.usd' },
    { name: 'Tokens', type: 'integer', jsonPath: '.spec.limits.tokens' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
});

/** @public */
export type AgentBudget = ResourceOf<typeof AgentBudgetKind>;
