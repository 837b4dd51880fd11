import {
  BaseStatusFields,
  DataKey,
  Obj,
  StringEnum,
  Timestamp,
  Type,
} from './schema';

/** Who a Secret or ConfigMap grant can be given to. @public */
export const GRANT_SUBJECT_KINDS = [
  'user',
  'team',
  'agent',
  'tool',
  'skill',
  'mcp-server',
  'runner',
] as const;

const GrantSubject = Obj({
  kind: StringEnum([...GRANT_SUBJECT_KINDS]),
  name: Type.String({
    minLength: 1,
    description:
      'user, team: entity ref; agent, runner: AgentServiceAccount name; tool: AgentToolProfile name; skill: AgentSkill name; mcp-server: AgentMcpServer name',
  }),
});

/** Spec fields shared by Secret and ConfigMap grants: keys, never values. */
export const grantFields = (source: 'Secret' | 'ConfigMap') => ({
  keys: Type.Array(DataKey(`Key in the ${source}`), { minItems: 1 }),
  subjects: Type.Array(GrantSubject, { minItems: 1 }),
  purpose: Type.String({
    minLength: 1,
    maxLength: 1024,
    description: 'Why the subjects need the keys; shown in the grant matrix',
  }),
  expiresAt: Type.Optional(Timestamp('The grant stops applying at this time')),
});

/** Status fields shared by Secret and ConfigMap grants. */
export const grantStatusFields = (source: 'Secret' | 'ConfigMap') => ({
  ...BaseStatusFields,
  state: Type.Optional(
    StringEnum(['active', 'expired', 'missing'], {
      description: `missing: the ${source} or one of the granted keys does not exist`,
    }),
  ),
  missingKeys: Type.Optional(Type.Array(Type.String())),
});
