import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AGENTS_API_GROUP_VERSION } from '../constants';
import { AgentKindDefinition } from './defineKind';
import { findKind } from './registry';
import { documentStructureProblem } from './documentStructure';

/** One problem with a document, at a JSON path such as `spec.runnerPolicy.timeoutSeconds`. @public */
export interface FieldError {
  path: string;
  message: string;
}

/** @public */
export type ValidationResult =
  | { valid: true; definition: AgentKindDefinition }
  | { valid: false; errors: FieldError[]; definition?: AgentKindDefinition };

const ajv = addFormats(
  new Ajv({
    allErrors: true,
    strict: false,
    keywords: ['x-kubernetes-preserve-unknown-fields'],
  }),
  ['date-time', 'uri', 'email'],
);
const validators = new Map<string, ValidateFunction>();

function validatorFor(definition: AgentKindDefinition): ValidateFunction {
  let validate = validators.get(definition.kind);
  if (!validate) {
    validate = ajv.compile(definition.schema);
    validators.set(definition.kind, validate);
  }
  return validate;
}

function toPath(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    segments.push(error.params.missingProperty);
  } else if (error.keyword === 'additionalProperties') {
    segments.push(error.params.additionalProperty);
  }
  return segments
    .map((s, i) => {
      if (/^\d+$/.test(s)) return `[${s}]`;
      return i === 0 ? s : `.${s}`;
    })
    .join('');
}

function toMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${(error.params.allowedValues as string[]).join(
        ', ',
      )}`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/**
 * Validates a document against its kind's schema. Reports the unknown kind or wrong apiVersion
 * first, then every schema violation with its field path.
 * @public
 */
export function validateResource(document: unknown): ValidationResult {
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document)
  ) {
    return {
      valid: false,
      errors: [{ path: '', message: 'must be an object' }],
    };
  }
  const { apiVersion, kind } = document as Record<string, unknown>;
  if (apiVersion !== AGENTS_API_GROUP_VERSION) {
    return {
      valid: false,
      errors: [
        { path: 'apiVersion', message: `must be ${AGENTS_API_GROUP_VERSION}` },
      ],
    };
  }
  const definition = typeof kind === 'string' ? findKind(kind) : undefined;
  if (!definition) {
    return {
      valid: false,
      errors: [
        { path: 'kind', message: `unknown kind ${JSON.stringify(kind)}` },
      ],
    };
  }
  const problem = documentStructureProblem(document);
  if (problem) return { valid: false, errors: [problem] };
  const validate = validatorFor(definition);
  if (validate(document)) {
    return { valid: true, definition };
  }
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const error of validate.errors ?? []) {
    const fieldError = { path: toPath(error), message: toMessage(error) };
    const key = `${fieldError.path}\u0000${fieldError.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      errors.push(fieldError);
    }
  }
  return { valid: false, errors, definition };
}
