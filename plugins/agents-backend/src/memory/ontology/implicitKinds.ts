import {
  ANY_KIND,
  DOCUMENT_KIND,
  EdgeKind,
  LINKS_TO_EDGE,
  NodeKind,
} from './Ontology';

/** Every ontology has it, so that a Markdown file without front matter is still a record. */
export const DOCUMENT_NODE_KIND: NodeKind = {
  name: DOCUMENT_KIND,
  description: 'A Markdown file without front matter',
  required: [],
  fields: new Map(),
};

/** Every ontology has it, so that a body's Markdown links are edges of the graph. */
export const LINKS_TO_EDGE_KIND: EdgeKind = {
  name: LINKS_TO_EDGE,
  description: "A Markdown link in a record's body",
  from: [ANY_KIND],
  to: [ANY_KIND],
};
