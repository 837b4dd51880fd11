import { StatusCause } from './KubeApiError';
import { cloneJson, isPlainObject } from './kubeObjects';

/** An OpenAPI v3 schema of a CRD version, as far as the double evaluates it. */
export type OpenApiSchema = Record<string, any>;

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';
const ROOT_FIELDS = ['apiVersion', 'kind', 'metadata'];

/** Fills in `default`s for missing fields, as the API server does on every write. */
export function applyDefaults(
  schema: OpenApiSchema | undefined,
  value: unknown,
) {
  if (!schema) return;
  if (isPlainObject(value)) {
    for (const [field, fieldSchema] of Object.entries<OpenApiSchema>(
      schema.properties ?? {},
    )) {
      if (value[field] === undefined && fieldSchema.default !== undefined) {
        value[field] = cloneJson(fieldSchema.default);
      }
      applyDefaults(fieldSchema, value[field]);
    }
    if (isPlainObject(schema.additionalProperties)) {
      for (const field of Object.keys(value)) {
        if (!(field in (schema.properties ?? {}))) {
          applyDefaults(schema.additionalProperties, value[field]);
        }
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    for (const item of value) applyDefaults(schema.items, item);
  }
}

/** Drops fields the schema does not specify, unless it preserves unknown fields there. */
export function pruneUnknownFields(
  schema: OpenApiSchema | undefined,
  value: unknown,
  isRoot = false,
) {
  if (!schema) return;
  if (isPlainObject(value)) {
    const properties: Record<string, OpenApiSchema> = schema.properties ?? {};
    for (const field of Object.keys(value)) {
      if (isRoot && ROOT_FIELDS.includes(field)) continue;
      if (field in properties) {
        pruneUnknownFields(properties[field], value[field]);
      } else if (isPlainObject(schema.additionalProperties)) {
        pruneUnknownFields(schema.additionalProperties, value[field]);
      } else if (!schema[PRESERVE] && schema.additionalProperties !== true) {
        delete value[field];
      }
    }
  } else if (Array.isArray(value) && schema.items) {
    for (const item of value) pruneUnknownFields(schema.items, item);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value)
    : JSON.stringify(value) ?? 'null';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(schema: OpenApiSchema, value: unknown): boolean {
  if (value === null) return Boolean(schema.nullable);
  if (schema[INT_OR_STRING]) {
    return typeof value === 'string' || Number.isInteger(value);
  }
  switch (schema.type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function join(path: string, field: string) {
  return path ? `${path}.${field}` : field;
}

/**
 * Validates a custom object against its schema with the API server's field paths and messages
 * (`spec.runtime: Required value`, `Unsupported value`, `Too long`, `should match` …).
 */
export function validateAgainstSchema(
  schema: OpenApiSchema | undefined,
  value: unknown,
  path = '',
): StatusCause[] {
  if (!schema) return [];
  const causes: StatusCause[] = [];
  const invalid = (message: string) =>
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${describe(value)}: ${message}`,
      field: path,
    });
  const shown = path || '<root>';

  if (value === null && schema.nullable) return causes;
  if (!hasType(schema, value)) {
    causes.push({
      reason: 'FieldValueTypeInvalid',
      message: `Invalid value: ${describe(
        value,
      )}: ${shown} in body must be of type ${schema.type}: ${JSON.stringify(
        typeName(value),
      )}`,
      field: path,
    });
    return causes;
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some(
      (e: unknown) => JSON.stringify(e) === JSON.stringify(value),
    )
  ) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${describe(
        value,
      )}: supported values: ${schema.enum.map(describe).join(', ')}`,
      field: path,
    });
  }
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      causes.push({
        reason: 'FieldValueTooLong',
        message: `Too long: may not be longer than ${schema.maxLength}`,
        field: path,
      });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      invalid(
        `${shown} in body should be at least ${schema.minLength} chars long`,
      );
    }
    if (
      schema.pattern !== undefined &&
      !new RegExp(schema.pattern, 'u').test(value)
    ) {
      invalid(`${shown} in body should match '${schema.pattern}'`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined) {
      if (
        schema.exclusiveMinimum
          ? value <= schema.minimum
          : value < schema.minimum
      ) {
        invalid(
          `${shown} in body should be greater than ${
            schema.exclusiveMinimum ? '' : 'or equal to '
          }${schema.minimum}`,
        );
      }
    }
    if (schema.maximum !== undefined) {
      if (
        schema.exclusiveMaximum
          ? value >= schema.maximum
          : value > schema.maximum
      ) {
        invalid(
          `${shown} in body should be less than ${
            schema.exclusiveMaximum ? '' : 'or equal to '
          }${schema.maximum}`,
        );
      }
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      causes.push({
        reason: 'FieldValueTooMany',
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
        field: path,
      });
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      invalid(`${shown} in body should have at least ${schema.minItems} items`);
    }
    if (schema.uniqueItems) {
      const seen = value.map(v => JSON.stringify(v));
      if (new Set(seen).size !== seen.length)
        invalid(`${shown} in body shouldn't contain duplicates`);
    }
    value.forEach((item, index) =>
      causes.push(
        ...validateAgainstSchema(schema.items, item, `${path}[${index}]`),
      ),
    );
  }
  if (isPlainObject(value)) {
    for (const field of schema.required ?? []) {
      if (value[field] === undefined) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: join(path, field),
        });
      }
    }
    const properties: Record<string, OpenApiSchema> = schema.properties ?? {};
    for (const [field, fieldValue] of Object.entries(value)) {
      if (field in properties) {
        causes.push(
          ...validateAgainstSchema(
            properties[field],
            fieldValue,
            join(path, field),
          ),
        );
      } else if (isPlainObject(schema.additionalProperties)) {
        causes.push(
          ...validateAgainstSchema(
            schema.additionalProperties,
            fieldValue,
            join(path, field),
          ),
        );
      }
    }
    if (
      schema.maxProperties !== undefined &&
      Object.keys(value).length > schema.maxProperties
    ) {
      invalid(
        `${shown} in body should have at most ${schema.maxProperties} properties`,
      );
    }
    if (
      schema.minProperties !== undefined &&
      Object.keys(value).length < schema.minProperties
    ) {
      invalid(
        `${shown} in body should have at least ${schema.minProperties} properties`,
      );
    }
  }
  for (const branch of schema.allOf ?? []) {
    causes.push(...validateAgainstSchema(branch, value, path));
  }
  if (Array.isArray(schema.anyOf)) {
    const matching = schema.anyOf.filter(
      (b: OpenApiSchema) => validateAgainstSchema(b, value, path).length === 0,
    );
    if (matching.length === 0)
      invalid(`${shown} in body must match at least one schema in anyOf`);
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter(
      (b: OpenApiSchema) => validateAgainstSchema(b, value, path).length === 0,
    );
    if (matching.length !== 1)
      invalid(`${shown} in body must match exactly one schema in oneOf`);
  }
  if (
    schema.not &&
    validateAgainstSchema(schema.not, value, path).length === 0
  ) {
    invalid(`${shown} in body must not match the schema in not`);
  }
  return causes;
}
