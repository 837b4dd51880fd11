export { parseRecord } from './parseRecord';
export { parseOntology } from './parseOntology';
export { validateRecords } from './validateRecords';
export type {
  MemoryRecord,
  RecordIssue,
  RecordParse,
  RecordVisibility,
} from './MemoryRecord';
export type { EdgeKind, FieldType, NodeKind, Ontology } from './Ontology';
export {
  ANY_KIND,
  DOCUMENT_KIND,
  LINKS_TO_EDGE,
  ONTOLOGY_FILE,
} from './Ontology';
