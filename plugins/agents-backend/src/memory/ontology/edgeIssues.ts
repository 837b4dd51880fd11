import { EDGES_FIELD } from './builtInFields';
import { MemoryRecord, RecordIssue } from './MemoryRecord';
import { admitsKind, EdgeKind, Ontology } from './Ontology';

function targetIssues(
  record: MemoryRecord,
  edge: EdgeKind,
  recordsById: Map<string, MemoryRecord>,
): RecordIssue[] {
  const targets = record.edges[edge.name];
  return targets.flatMap((id, index) => {
    const field = `${EDGES_FIELD}.${edge.name}[${index}]`;
    const target = recordsById.get(id);
    if (!target) {
      const message = `points to '${id}', which is not the id of any record`;
      return [{ file: record.path, field, message }];
    }
    if (admitsKind(edge.to, target.kind)) return [];
    const message = `points to '${id}' of kind ${target.kind}; ${
      edge.name
    } edges point to ${edge.to.join(', ')}`;
    return [{ file: record.path, field, message }];
  });
}

/**
 * Checks a record's edges against the ontology: each edge kind exists, may start from the
 * record's kind, and points to existing records of kinds it may point to.
 */
export function edgeIssues(
  ontology: Ontology,
  record: MemoryRecord,
  recordsById: Map<string, MemoryRecord>,
): RecordIssue[] {
  const file = record.path;
  return Object.keys(record.edges).flatMap(name => {
    const field = `${EDGES_FIELD}.${name}`;
    const edge = ontology.edgeKinds.get(name);
    if (!edge) {
      const known = [...ontology.edgeKinds.keys()].join(', ');
      const message = `'${name}' is not an edge kind of the ontology (known: ${known})`;
      return [{ file, field, message }];
    }
    // A record of an unknown kind is reported once, at its kind, not at every edge.
    const knownKind = ontology.nodeKinds.has(record.kind);
    if (knownKind && !admitsKind(edge.from, record.kind)) {
      const message = `records of kind ${
        record.kind
      } cannot have ${name} edges; they go from ${edge.from.join(', ')}`;
      return [{ file, field, message }];
    }
    return targetIssues(record, edge, recordsById);
  });
}
