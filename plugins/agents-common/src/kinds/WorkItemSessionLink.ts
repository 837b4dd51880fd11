import { defineKind, ResourceOf } from './defineKind';
import { BaseStatusFields, LocalName, Obj, Type } from './schema';

/** An edge between a work item and an agent chat session about it. @public */
export const WorkItemSessionLinkKind = defineKind({
  kind: 'WorkItemSessionLink',
  plural: 'workitemsessionlinks',
  shortNames: ['wisl'],
  category: 'execution',
  description: 'Links a work item to an agent session working on it.',
  spec: Obj({
    workItem: LocalName('WorkItem name'),
    session: LocalName('AgentSession name'),
    repository: Type.Optional(
      Type.String({ description: '<org>/<repository>' }),
    ),
  }),
  status: Obj({ ...BaseStatusFields }),
  printerColumns: [
    { name: 'WorkItem', type: 'string', jsonPath: '.spec.workItem' },
    { name: 'Session', type: 'string', jsonPath: '.spec.session' },
  ],
  indexes: { repository: 'spec.repository' },
});

/** @public */
export type WorkItemSessionLink = ResourceOf<typeof WorkItemSessionLinkKind>;
