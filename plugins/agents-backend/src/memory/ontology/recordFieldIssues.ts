import { isBuiltInField } from './builtInFields';
import { fieldValueProblems } from './fieldValueProblems';
import { MemoryRecord, RecordIssue } from './MemoryRecord';
import { Ontology } from './Ontology';
import { isMapping, ownValue } from './yamlShapes';

function valueOf(record: MemoryRecord, field: string): unknown {
  return isBuiltInField(field)
    ? ownValue(record as unknown as Record<string, unknown>, field)
    : ownValue(record.fields, field);
}

function isMissing(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isMapping(value) && Object.keys(value).length === 0;
}

/**
 * Checks a record against its node kind: the kind exists, required fields are there and typed
 * fields have their type. Built-in fields were checked by `parseRecord`.
 */
export function recordFieldIssues(
  ontology: Ontology,
  record: MemoryRecord,
): RecordIssue[] {
  const file = record.path;
  const kind = ontology.nodeKinds.get(record.kind);
  if (!kind) {
    const known = [...ontology.nodeKinds.keys()].join(', ');
    const message = `'${record.kind}' is not a node kind of the ontology (known: ${known})`;
    return [{ file, field: 'kind', message }];
  }
  const missing = kind.required
    .filter(field => isMissing(valueOf(record, field)))
    .map(field => ({
      file,
      field,
      message: `is required for records of kind ${kind.name}`,
    }));
  const mistyped = [...kind.fields]
    .filter(([field]) => !isBuiltInField(field))
    .flatMap(([field, type]) => {
      const value = ownValue(record.fields, field);
      if (value === undefined || value === null) return [];
      return fieldValueProblems(field, value, type);
    })
    .map(problem => ({ file, ...problem }));
  return [...missing, ...mistyped];
}
