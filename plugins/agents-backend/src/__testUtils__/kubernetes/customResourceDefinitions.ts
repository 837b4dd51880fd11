import { StatusCause } from './KubeApiError';
import { isPlainObject, KubeObject } from './kubeObjects';
import { OpenApiSchema } from './openApiSchema';
import {
  PrinterColumn,
  READ_WRITE_VERBS,
  ResourceType,
} from './ResourceRegistry';

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: OpenApiSchema };
  subresources?: { status?: unknown; scale?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: {
    plural?: string;
    singular?: string;
    kind?: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

function specOf(crd: KubeObject): CrdSpec {
  return (crd.spec ?? {}) as CrdSpec;
}

/** The resources a CRD serves: one per served version. */
export function resourceTypesOf(crd: KubeObject): ResourceType[] {
  const spec = specOf(crd);
  const names = spec.names ?? {};
  return (spec.versions ?? [])
    .filter(v => v.served !== false)
    .map(version => ({
      group: spec.group ?? '',
      version: version.name,
      resource: names.plural ?? '',
      singular: names.singular ?? names.kind?.toLowerCase() ?? '',
      kind: names.kind ?? '',
      listKind: names.listKind ?? `${names.kind}List`,
      namespaced: spec.scope !== 'Cluster',
      verbs: READ_WRITE_VERBS,
      shortNames: names.shortNames,
      categories: names.categories,
      subresources:
        version.subresources?.status !== undefined ? ['status'] : [],
      schema: version.schema?.openAPIV3Schema,
      printerColumns: version.additionalPrinterColumns,
      definedBy: crd.metadata.name,
    }));
}

const EXTENSIONS_ALLOWING_NO_TYPE = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
];
const VALUE_VALIDATIONS = ['allOf', 'anyOf', 'oneOf', 'not'];
const FORBIDDEN_IN_VALUE_VALIDATIONS = [
  'type',
  'additionalProperties',
  'default',
  'description',
  'nullable',
];

/**
 * The structural-schema rules apiextensions.k8s.io/v1 enforces
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema):
 * every specified node has a type, and value validations (anyOf, allOf, oneOf, not) carry no
 * types, defaults, descriptions or extensions and only mention fields specified outside them.
 */
function structuralErrors(schema: OpenApiSchema, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const hasExtension = EXTENSIONS_ALLOWING_NO_TYPE.some(e => schema[e]);
  if (!schema.type && !hasExtension) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: must not be empty for specified object fields',
      field: `${path}.type`,
    });
  }
  if (
    schema.properties &&
    schema.additionalProperties !== undefined &&
    schema.additionalProperties !== false
  ) {
    causes.push({
      reason: 'FieldValueForbidden',
      message:
        'Forbidden: additionalProperties and properties are mutual exclusive',
      field: `${path}.additionalProperties`,
    });
  }
  for (const [field, child] of Object.entries<OpenApiSchema>(
    schema.properties ?? {},
  )) {
    causes.push(...structuralErrors(child, `${path}.properties[${field}]`));
  }
  if (isPlainObject(schema.items))
    causes.push(...structuralErrors(schema.items, `${path}.items`));
  if (isPlainObject(schema.additionalProperties)) {
    causes.push(
      ...structuralErrors(
        schema.additionalProperties,
        `${path}.additionalProperties`,
      ),
    );
  }
  for (const keyword of VALUE_VALIDATIONS) {
    const declared = keyword === 'not' ? [schema.not] : schema[keyword];
    const branches: OpenApiSchema[] = (declared ?? []).filter(Boolean);
    branches.forEach((branch: OpenApiSchema, index: number) => {
      const branchPath =
        keyword === 'not' ? `${path}.not` : `${path}.${keyword}[${index}]`;
      causes.push(...valueValidationErrors(branch, schema, branchPath));
    });
  }
  return causes;
}

function valueValidationErrors(
  branch: OpenApiSchema,
  structural: OpenApiSchema | undefined,
  path: string,
): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const key of Object.keys(branch)) {
    if (
      FORBIDDEN_IN_VALUE_VALIDATIONS.includes(key) ||
      key.startsWith('x-kubernetes-')
    ) {
      causes.push({
        reason: 'FieldValueForbidden',
        message: 'Forbidden: must be empty to be structural',
        field: `${path}.${key}`,
      });
    }
  }
  for (const [field, child] of Object.entries<OpenApiSchema>(
    branch.properties ?? {},
  )) {
    const specified = structural?.properties?.[field];
    if (!specified && !structural?.['x-kubernetes-preserve-unknown-fields']) {
      causes.push({
        reason: 'FieldValueRequired',
        message:
          'Required value: must be specified in the structural part of the schema',
        field: `${path}.properties[${field}]`,
      });
    }
    causes.push(
      ...valueValidationErrors(
        child,
        specified,
        `${path}.properties[${field}]`,
      ),
    );
  }
  if (isPlainObject(branch.items)) {
    causes.push(
      ...valueValidationErrors(
        branch.items,
        structural?.items,
        `${path}.items`,
      ),
    );
  }
  return causes;
}

/** What apiextensions.k8s.io/v1 rejects in a CRD, as 422 causes. */
export function validateCustomResourceDefinition(
  crd: KubeObject,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const required = (field: string) =>
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field,
    });
  const spec = specOf(crd);
  if (!spec.group) required('spec.group');
  if (!spec.names?.plural) required('spec.names.plural');
  if (!spec.names?.kind) required('spec.names.kind');
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(
        spec.scope ?? '',
      )}: supported values: "Cluster", "Namespaced"`,
      field: 'spec.scope',
    });
  }
  const expectedName = `${spec.names?.plural}.${spec.group}`;
  if (spec.group && spec.names?.plural && crd.metadata.name !== expectedName) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(
        crd.metadata.name,
      )}: must be spec.names.plural+"."+spec.group`,
      field: 'metadata.name',
    });
  }
  const versions = spec.versions ?? [];
  if (versions.length === 0) required('spec.versions');
  if (versions.length > 0 && versions.filter(v => v.storage).length !== 1) {
    causes.push({
      reason: 'FieldValueInvalid',
      message:
        'Invalid value: must have exactly one version marked as storage version',
      field: 'spec.versions',
    });
  }
  versions.forEach((version, index) => {
    const schema = version.schema?.openAPIV3Schema;
    const path = `spec.versions[${index}].schema.openAPIV3Schema`;
    if (!schema) {
      required(path);
      return;
    }
    causes.push(...structuralErrors(schema, path));
  });
  return causes;
}

/** The status an established CRD reports. */
export function establishedStatus(crd: KubeObject, now: string) {
  const spec = specOf(crd);
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition(
        'Established',
        'InitialNamesAccepted',
        'the initial names have been accepted',
      ),
    ],
    acceptedNames: spec.names ?? {},
    storedVersions: (spec.versions ?? [])
      .filter(v => v.storage)
      .map(v => v.name),
  };
}
