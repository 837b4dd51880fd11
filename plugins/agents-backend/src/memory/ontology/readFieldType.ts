import { BUILT_IN_FIELD_TYPES, EDGES_FIELD } from './builtInFields';
import { fieldValueProblems } from './fieldValueProblems';
import { FIELD_TYPE_NAMES, FieldType } from './Ontology';
import { FieldProblem, isMapping } from './yamlShapes';

const TYPE_CHOICES = `${FIELD_TYPE_NAMES.join(', ')} or { enum: [...] }`;

function declaredType(
  spec: unknown,
  at: string,
): { type?: FieldType; problems: FieldProblem[] } {
  if (FIELD_TYPE_NAMES.some(name => name === spec)) {
    return { type: spec as FieldType, problems: [] };
  }
  if (isMapping(spec) && Object.keys(spec).join() === 'enum') {
    const values = spec.enum;
    const problems = fieldValueProblems(`${at}.enum`, values, 'stringList');
    if (problems.length > 0) return { problems };
    if ((values as string[]).length === 0) {
      return {
        problems: [
          { field: `${at}.enum`, message: 'must list at least one value' },
        ],
      };
    }
    return { type: { enum: values as string[] }, problems: [] };
  }
  const shown = typeof spec === 'string' ? `'${spec}'` : JSON.stringify(spec);
  return {
    problems: [
      {
        field: at,
        message: `has unknown field type ${shown}; use ${TYPE_CHOICES}`,
      },
    ],
  };
}

/** The type a node kind declares for `field`, read from `nodeKinds.<kind>.fields.<field>`. */
export function readFieldType(
  field: string,
  spec: unknown,
  at: string,
): { type?: FieldType; problems: FieldProblem[] } {
  if (field === EDGES_FIELD) {
    return {
      problems: [
        {
          field: at,
          message: 'edges are declared under edgeKinds, not as a field',
        },
      ],
    };
  }
  const declared = declaredType(spec, at);
  const builtIn = BUILT_IN_FIELD_TYPES.get(field);
  if (declared.type && builtIn && declared.type !== builtIn) {
    const message = `is a built-in field of type ${builtIn}; it cannot be given another type`;
    return { problems: [{ field: at, message }] };
  }
  return declared;
}
