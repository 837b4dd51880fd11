import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/** An edge between a work item and a workspace it owns or references. @public */
export const WorkItemWorkspaceLinkKind = defineKind({
  kind: 'WorkItemWorkspaceLink',
  plural: 'workitemworkspacelinks',
  shortNames: ['wiwl'],
  category: 'execution',
  description: 'Links a work item to a workspace it owns or references.',
  spec: Obj({
    workItem: LocalName('WorkItem name'),
    workspace: LocalName('AgentWorkspace name'),
    relation: StringEnum(['owns', 'references']),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
  }),
  status: Obj({ ...BaseStatusFields }),
  printerColumns: [
    { name: 'WorkItem', type: 'string', jsonPath: '.spec.workItem' },
    { name: 'Workspace', type: 'string', jsonPath: '.spec.workspace' },
    { name: 'Relation', type: 'string', jsonPath: '.spec.relation' },
  ],
  indexes: { repository: 'spec.repository' },
});

/** @public */
export type WorkItemWorkspaceLink = ResourceOf<
  typeof WorkItemWorkspaceLinkKind
>;
