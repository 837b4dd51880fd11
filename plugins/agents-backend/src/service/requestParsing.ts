import { InputError } from '@backstage/errors';
import {
  AGENTS_API_GROUP_VERSION,
  AgentKindDefinition,
  DNS_LABEL_PATTERN,
  ExecutionIndexes,
  findKindByPlural,
  validateResource,
} from '@krate/plugin-agents-common';
import { Request } from 'express';
import { parseLabelSelector } from '../resources/labelSelector';
import { ListOptions, StoredResource } from '../resources/ResourceStore';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export function kindFromPlural(plural: string): AgentKindDefinition {
  const definition = findKindByPlural(plural);
  if (!definition) {
    throw new InputError(
      `kind: no resource type '${plural}' in ${AGENTS_API_GROUP_VERSION}`,
    );
  }
  return definition;
}

function singleQueryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new InputError(`${name}: must be given once, as a string`);
  }
  return value;
}

export function queryString(req: Request, name: string): string | undefined {
  return singleQueryValue(req, name);
}

/** The list options of a request: namespace, labelSelector, limit, continue and index filters. */
export function listOptionsFrom(
  req: Request,
  definition: AgentKindDefinition,
  namespace?: string,
): ListOptions {
  const limitText = singleQueryValue(req, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InputError(`limit: must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const selector = singleQueryValue(req, 'labelSelector');
  const fieldFilters: ListOptions['fieldFilters'] = {};
  for (const column of [
    'repository',
    'stack',
    'phase',
    'source',
  ] as (keyof ExecutionIndexes)[]) {
    const value = singleQueryValue(req, column);
    if (value !== undefined) {
      if (!definition.indexes?.[column]) {
        throw new InputError(
          `${column}: ${definition.kind} cannot be filtered by ${column}`,
        );
      }
      fieldFilters[column] = value;
    }
  }
  const changedAfter = singleQueryValue(req, 'changedAfter');
  if (changedAfter !== undefined && !/^\d{1,15}$/.test(changedAfter)) {
    throw new InputError(
      'changedAfter: must be a resource version (a non-negative integer)',
    );
  }
  return {
    namespace: namespace ?? singleQueryValue(req, 'namespace'),
    limit,
    changedAfter,
    continueToken: singleQueryValue(req, 'continue'),
    labelSelector: selector ? parseLabelSelector(selector) : undefined,
    fieldFilters,
  };
}

/**
 * Turns a request body into a valid object of the expected kind, taking kind, apiVersion,
 * namespace and name from the URL where the body leaves them out. Throws InputError naming
 * every bad field.
 */
export function objectFromBody(
  body: unknown,
  expected: {
    definition: AgentKindDefinition;
    namespace: string;
    name?: string;
  },
): StoredResource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('body: must be a JSON object');
  }
  const { definition, namespace, name } = expected;
  const document = body as Record<string, any>;
  const metadata = { ...(document.metadata ?? {}) };
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw new InputError(
      `metadata.namespace: '${metadata.namespace}' does not match the namespace '${namespace}' in the URL`,
    );
  }
  if (
    name !== undefined &&
    metadata.name !== undefined &&
    metadata.name !== name
  ) {
    throw new InputError(
      `metadata.name: '${metadata.name}' does not match the name '${name}' in the URL`,
    );
  }
  const object = {
    ...document,
    apiVersion: document.apiVersion ?? AGENTS_API_GROUP_VERSION,
    kind: document.kind ?? definition.kind,
    metadata: { ...metadata, namespace, ...(name ? { name } : {}) },
  };
  if (object.kind !== definition.kind) {
    throw new InputError(
      `kind: must be ${definition.kind} here, not ${JSON.stringify(
        object.kind,
      )}`,
    );
  }
  assertValid(object);
  return object as StoredResource;
}

export function assertValid(object: unknown): void {
  const result = validateResource(object);
  if (!result.valid) {
    const doc = object as {
      kind?: string;
      metadata?: { namespace?: string; name?: string };
    };
    const what = `${doc.kind ?? 'object'} ${doc.metadata?.namespace ?? ''}/${
      doc.metadata?.name ?? ''
    }`;
    throw new InputError(
      `${what} is invalid: ${result.errors
        .map(e => `${e.path || '(root)'}: ${e.message}`)
        .join('; ')}`,
    );
  }
}

const NAMESPACE = new RegExp(DNS_LABEL_PATTERN);

/** An org's name as a query parameter or body field names it: 400 naming the field otherwise. */
export function orgName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(`${field}: is required`);
  }
  if (value.length > 63 || !NAMESPACE.test(value)) {
    throw new InputError(
      `${field}: '${value.slice(
        0,
        63,
      )}' is not a namespace name (lowercase letters, digits and '-', at most 63)`,
    );
  }
  return value;
}
