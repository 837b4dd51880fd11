/** The type a node kind gives one of its front-matter fields, or the strings it may hold. */
export type FieldType =
  | 'string'
  | 'entityRef'
  | 'date'
  | 'stringList'
  | 'entityRefList'
  | { enum: string[] };

/** A kind of record, such as `service` or `team`. */
export interface NodeKind {
  name: string;
  description?: string;
  /** Front-matter fields every record of this kind must have. */
  required: string[];
  fields: Map<string, FieldType>;
}

/** A kind of edge between records, such as `depends-on`. */
export interface EdgeKind {
  name: string;
  description?: string;
  /** The node kinds an edge may start from; `*` is any kind. */
  from: string[];
  /** The node kinds an edge may point to; `*` is any kind. */
  to: string[];
}

/** The node and edge kinds of a memory repository, as declared by its `ontology.yaml`. */
export interface Ontology {
  nodeKinds: Map<string, NodeKind>;
  edgeKinds: Map<string, EdgeKind>;
}

export const ONTOLOGY_FILE = 'ontology.yaml';

/** Stands for every node kind in an edge kind's `from` or `to`. */
export const ANY_KIND = '*';

export const DOCUMENT_KIND = 'document';

export const LINKS_TO_EDGE = 'links-to';

export const FIELD_TYPE_NAMES = [
  'string',
  'entityRef',
  'date',
  'stringList',
  'entityRefList',
] as const;

/** Whether an edge kind's `from` or `to` list admits records of `kind`. */
export function admitsKind(kinds: string[], kind: string): boolean {
  return kinds.includes(ANY_KIND) || kinds.includes(kind);
}
