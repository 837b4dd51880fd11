import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/**
 * An issue or pull request as agents see it: its board column, context labels and dispatch
 * readiness.
 * @public
 */
export const WorkItemKind = defineKind({
  kind: 'WorkItem',
  plural: 'workitems',
  shortNames: ['wi'],
  category: 'execution',
  description:
    'An issue or pull request projected for agents: state, board column, context labels and dispatch readiness.',
  spec: Obj({
    repository: Type.String({ description: '<org>/<repository>' }),
    kind: StringEnum(['issue', 'pull-request']),
    number: Type.Integer({ minimum: 1 }),
    title: Type.String({ maxLength: 1024 }),
    url: Type.Optional(Type.String()),
    state: StringEnum(['open', 'closed', 'merged']),
    boardColumn: Type.Optional(
      Type.String({ description: 'e.g. Backlog, Ready, In progress' }),
    ),
    labels: Type.Optional(
      Type.Array(Type.String(), { description: 'Labels on the forge' }),
    ),
    contextLabels: Type.Optional(
      Type.Array(LocalName('AgentContextLabel name')),
    ),
    parent: Type.Optional(LocalName('WorkItem name of the parent issue')),
    head: Type.Optional(
      Obj(
        {
          repository: Type.String({
            description: '<org>/<repository> the pull request comes from',
          }),
          ref: Type.String({ description: 'Its branch there' }),
        },
        {
          description:
            'Where a pull request comes from; a head in another repository (a fork) makes runs on it `forked`',
        },
      ),
    ),
  }),
  status: Obj({
    ...BaseStatusFields,
    dispatchReady: Type.Optional(Type.Boolean()),
    blockedReason: Type.Optional(Type.String()),
  }),
  printerColumns: [
    { name: 'Repository', type: 'string', jsonPath: '.spec.repository' },
    { name: 'Number', type: 'integer', jsonPath: '.spec.number' },
    { name: 'State', type: 'string', jsonPath: '.spec.state' },
    { name: 'Column', type: 'string', jsonPath: '.spec.boardColumn' },
  ],
  indexes: {
    repository: 'spec.repository',
    phase: 'spec.state',
  },
});

/** @public */
export type WorkItem = ResourceOf<typeof WorkItemKind>;
