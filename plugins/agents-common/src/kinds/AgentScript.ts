import { ACTION_CLASSES } from './AgentToolProfile';
import { LocalName, Obj, StringEnum, Type } from './schema';

/**
 * One step of the scripted runtime. A step names exactly one action; the scripted agent runs
 * the steps in order inside the attempt's working directory, under the stack's tool profile.
 * @public
 */
export const ScriptStep = Type.Object(
  {
    say: Type.Optional(
      Type.String({ description: 'Emit assistant text', maxLength: 65536 }),
    ),
    think: Type.Optional(
      Type.String({ description: 'Emit thinking text', maxLength: 65536 }),
    ),
    shell: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Run a command with /bin/sh -c, subject to the shell allow/deny patterns and approvals',
      }),
    ),
    readFile: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Read a workspace-relative file',
      }),
    ),
    writeFile: Type.Optional(
      Obj({
        path: Type.String({ minLength: 1 }),
        content: Type.String(),
      }),
    ),
    patchFile: Type.Optional(
      Obj({
        path: Type.String({ minLength: 1 }),
        find: Type.String({ minLength: 1 }),
        replace: Type.String(),
      }),
    ),
    subagent: Type.Optional(
      Obj({
        name: LocalName('AgentSubagent name; runs its own script'),
        prompt: Type.Optional(Type.String()),
      }),
    ),
    approval: Type.Optional(
      Obj({
        actionClass: StringEnum([...ACTION_CLASSES]),
        target: Type.String({ minLength: 1 }),
      }),
    ),
    producePatch: Type.Optional(
      Obj({
        name: Type.Optional(
          Type.String({ description: 'Artifact name, default changes.patch' }),
        ),
      }),
    ),
    propose: Type.Optional(
      Obj(
        {
          kind: StringEnum(['comment', 'review'], {
            description: 'A comment or a pull request review',
          }),
          title: Type.String({ minLength: 1, maxLength: 256 }),
          body: Type.String({ minLength: 1, maxLength: 65536 }),
          on: Type.Optional(
            StringEnum(['issue', 'pull-request'], {
              description: 'Where it goes; with `number`',
            }),
          ),
          number: Type.Optional(Type.String()),
        },
        {
          description:
            'Proposes a comment or review as a review artifact, posted only once approved',
        },
      ),
    ),
    emit: Type.Optional(
      Obj(
        {
          count: Type.Integer({ minimum: 1, maximum: 1000000 }),
          text: Type.Optional(Type.String()),
        },
        {
          description:
            'Emit count text events as fast as possible (load tests and demos)',
        },
      ),
    ),
    cost: Type.Optional(
      Obj(
        {
          inputTokens: Type.Optional(Type.Integer({ minimum: 0 })),
          outputTokens: Type.Optional(Type.Integer({ minimum: 0 })),
          usd: Type.Optional(Type.Number({ minimum: 0 })),
        },
        {
          description:
            'Report this much cost now, as a model-driven runtime does mid-stream (budget tests and demos)',
        },
      ),
    ),
    sleepMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600000 })),
    fail: Type.Optional(
      Type.String({ description: 'Fail the attempt with this message' }),
    ),
    onDenied: Type.Optional(
      StringEnum(['fail', 'continue'], {
        description:
          'What the agent does when policy or a human refuses the step; default fail',
      }),
    ),
  },
  { additionalProperties: false },
);

/** @public */
export const AgentScript = Obj(
  {
    steps: Type.Array(ScriptStep, { maxItems: 500 }),
    continueSteps: Type.Optional(
      Type.Array(ScriptStep, {
        maxItems: 500,
        description:
          'Steps a continue attempt runs after echoing the follow-up prompt',
      }),
    ),
  },
  {
    description:
      'Steps for the built-in scripted runtime; other runtimes ignore it',
  },
);

/** Names of the actions a step may carry; a step carries exactly one. @public */
export const SCRIPT_STEP_ACTIONS = [
  'say',
  'think',
  'shell',
  'readFile',
  'writeFile',
  'patchFile',
  'subagent',
  'approval',
  'producePatch',
  'propose',
  'emit',
  'cost',
  'sleepMs',
  'fail',
] as const;
