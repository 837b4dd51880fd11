import { fieldValueProblems } from './fieldValueProblems';
import { kindNameProblems } from './kindNames';
import { DOCUMENT_KIND, FieldType, NodeKind } from './Ontology';
import { readFieldType } from './readFieldType';
import {
  describeValue,
  FieldProblem,
  isMapping,
  unknownKeyProblems,
} from './yamlShapes';

const NODE_KIND_KEYS = ['description', 'required', 'fields'];

function fieldsOf(value: unknown, at: string, problems: FieldProblem[]) {
  const fields = new Map<string, FieldType>();
  if (value === undefined || value === null) return fields;
  if (!isMapping(value)) {
    const message = `must be a mapping of field name to type, not ${describeValue(
      value,
    )}`;
    problems.push({ field: at, message });
    return fields;
  }
  for (const [field, spec] of Object.entries(value)) {
    const read = readFieldType(field, spec, `${at}.${field}`);
    problems.push(...read.problems);
    if (read.type) fields.set(field, read.type);
  }
  return fields;
}

function nodeKindOf(name: string, value: unknown, problems: FieldProblem[]) {
  const at = `nodeKinds.${name}`;
  problems.push(...kindNameProblems(name, at));
  if (name === DOCUMENT_KIND) {
    const message = 'is built in: it is the kind of files without front matter';
    problems.push({ field: at, message });
  }
  const body = value ?? {};
  if (!isMapping(body)) {
    problems.push({
      field: at,
      message: `must be a mapping, not ${describeValue(body)}`,
    });
    return undefined;
  }
  problems.push(...unknownKeyProblems(body, NODE_KIND_KEYS, at));
  const { description, required = [] } = body;
  if (description !== undefined) {
    problems.push(
      ...fieldValueProblems(`${at}.description`, description, 'string'),
    );
  }
  problems.push(
    ...fieldValueProblems(`${at}.required`, required, 'stringList'),
  );
  const kind: NodeKind = {
    name,
    required: Array.isArray(required) ? required : [],
    fields: fieldsOf(body.fields, `${at}.fields`, problems),
  };
  if (typeof description === 'string') kind.description = description;
  return kind;
}

/** Reads `nodeKinds` of `ontology.yaml`; `names` holds every declared name, even of broken kinds. */
export function readNodeKinds(value: unknown): {
  kinds: NodeKind[];
  names: string[];
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  if (!isMapping(value)) {
    const message =
      value === undefined
        ? 'is required: a mapping of node kind name to its definition'
        : `must be a mapping of node kind name to its definition, not ${describeValue(
            value,
          )}`;
    return {
      kinds: [],
      names: [],
      problems: [{ field: 'nodeKinds', message }],
    };
  }
  const kinds = Object.entries(value)
    .map(([name, body]) => nodeKindOf(name, body, problems))
    .filter((kind): kind is NodeKind => kind !== undefined);
  return { kinds, names: Object.keys(value), problems };
}
