import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, StringEnum, Type } from './schema';

/** Label naming the workspace of a link (and of nothing else), so a workspace lists its links. @public */
export const LINKED_WORKSPACE_LABEL = 'agents.krate.dev/workspace';

/** Label naming the work item of a link or of a run started from it. @public */
export const LINKED_WORK_ITEM_LABEL = 'agents.krate.dev/work-item';

/**
 * An edge between a work item and a workspace it owns or references. Links carry the
 * {@link LINKED_WORKSPACE_LABEL} and {@link LINKED_WORK_ITEM_LABEL} labels, so both sides list them.
 * @public
 */
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
