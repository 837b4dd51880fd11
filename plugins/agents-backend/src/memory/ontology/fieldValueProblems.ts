import { FieldType } from './Ontology';
import { describeValue, FieldProblem } from './yamlShapes';

const ENTITY_REF =
  /^[A-Za-z][A-Za-z0-9-]*:(?:[a-z0-9]+(?:-[a-z0-9]+)*\/)?[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$/;

const REPOSITORY_SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/[\w.-]+$/;

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** `kind:namespace/name` or `kind:name`, such as `group:default/payments`. */
export function isEntityRef(value: string): boolean {
  return ENTITY_REF.test(value);
}

/** `<org>/<repo>`, such as `acme/payments-api`. */
export function isRepositorySlug(value: string): boolean {
  return REPOSITORY_SLUG.test(value);
}

/** An ISO 8601 date or date-time of a day that exists (no 2024-02-30). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1, 4).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(value))
  );
}

function stringProblem(field: string, value: unknown): FieldProblem[] {
  if (typeof value !== 'string') {
    return [
      { field, message: `must be a string, not ${describeValue(value)}` },
    ];
  }
  return value.trim() === '' ? [{ field, message: 'must not be blank' }] : [];
}

function scalarProblems(
  field: string,
  value: unknown,
  type: Exclude<FieldType, 'stringList' | 'entityRefList'>,
): FieldProblem[] {
  const problems = stringProblem(field, value);
  if (problems.length > 0 || type === 'string') return problems;
  const text = value as string;
  if (type === 'entityRef' && !isEntityRef(text)) {
    const message = `must be an entity ref like group:default/payments, not '${text}'`;
    return [{ field, message }];
  }
  if (type === 'date' && !isIsoDate(text)) {
    return [
      { field, message: `must be an ISO date like 2024-05-01, not '${text}'` },
    ];
  }
  if (typeof type === 'object' && !type.enum.includes(text)) {
    const message = `must be one of ${type.enum.join(', ')}, not '${text}'`;
    return [{ field, message }];
  }
  return [];
}

/** What is wrong with a front-matter value for a field of `type`; items are named `field[i]`. */
export function fieldValueProblems(
  field: string,
  value: unknown,
  type: FieldType,
): FieldProblem[] {
  if (type !== 'stringList' && type !== 'entityRefList') {
    return scalarProblems(field, value, type);
  }
  if (!Array.isArray(value)) {
    return [{ field, message: `must be a list, not ${describeValue(value)}` }];
  }
  const itemType = type === 'stringList' ? 'string' : 'entityRef';
  return value.flatMap((item, index) =>
    scalarProblems(`${field}[${index}]`, item, itemType),
  );
}
