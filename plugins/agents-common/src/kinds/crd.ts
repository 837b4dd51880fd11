import { AGENTS_API_GROUP, AGENTS_API_VERSION } from '../constants';
import { AgentKindDefinition } from './defineKind';

/** A JSON Schema object, as CRD manifests carry it. @public */
export type JsonSchema = Record<string, unknown>;

/**
 * Turns a kind schema into a Kubernetes structural schema: `additionalProperties: false` is
 * dropped (the API server prunes unknown fields), `const` becomes a one-value `enum`, a union
 * of objects becomes one object (see {@link foldObjectUnion}), and annotations that only JSON
 * Schema knows are removed.
 */
export function toStructuralSchema(schema: unknown): JsonSchema {
  if (Array.isArray(schema)) {
    return schema.map(toStructuralSchema) as unknown as JsonSchema;
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema as JsonSchema;
  }
  if (Array.isArray((schema as JsonSchema).anyOf)) {
    return foldObjectUnion(schema as JsonSchema);
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties' && value === false) continue;
    if (key === '$id' || key === '$schema') continue;
    if (key === 'const') {
      out.enum = [value];
      continue;
    }
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [
          k,
          toStructuralSchema(v),
        ]),
      );
      continue;
    }
    out[key] =
      typeof value === 'object' && value !== null
        ? toStructuralSchema(value)
        : value;
  }
  return out;
}

/**
 * A structural schema may not give types inside `anyOf` (the API server refuses the CRD), so a
 * union of objects becomes one object holding every variant's properties, each typed once, and
 * an `anyOf` left with what tells the variants apart: their required fields and enums.
 */
function foldObjectUnion(union: JsonSchema): JsonSchema {
  const variants = (union.anyOf as JsonSchema[]).map(toStructuralSchema);
  if (variants.some(v => v.type !== 'object')) {
    throw new Error('Only unions of objects can be made structural');
  }
  const properties: Record<string, JsonSchema> = {};
  for (const variant of variants) {
    for (const [name, property] of Object.entries(
      (variant.properties ?? {}) as Record<string, JsonSchema>,
    )) {
      const known = properties[name];
      properties[name] =
        known && Array.isArray(known.enum) && Array.isArray(property.enum)
          ? { ...known, enum: [...new Set([...known.enum, ...property.enum])] }
          : known ?? property;
    }
  }
  const { anyOf: _variants, ...annotations } = union;
  return {
    ...toStructuralSchema(annotations),
    type: 'object',
    properties,
    anyOf: variants.map(variant => {
      const enums = Object.entries(
        (variant.properties ?? {}) as Record<string, JsonSchema>,
      ).filter(([, property]) => Array.isArray(property.enum));
      return {
        ...(variant.required ? { required: variant.required } : {}),
        ...(enums.length
          ? {
              properties: Object.fromEntries(
                enums.map(([name, property]) => [
                  name,
                  { enum: property.enum },
                ]),
              ),
            }
          : {}),
      };
    }),
  };
}

/**
 * The CustomResourceDefinition of a configuration kind: one served, stored version with the
 * status subresource and printer columns. `metadata` is left to the API server, as CRDs require.
 * @public
 */
export function renderCrd(definition: AgentKindDefinition): JsonSchema {
  const { properties } = toStructuralSchema(definition.schema) as {
    properties: Record<string, JsonSchema>;
  };
  const openApiV3Schema = {
    type: 'object',
    description: definition.description,
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: properties.spec,
      status: properties.status,
    },
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${definition.plural}.${AGENTS_API_GROUP}` },
    spec: {
      group: AGENTS_API_GROUP,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.singular,
        shortNames: definition.shortNames,
        categories: ['krate', 'agents'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: AGENTS_API_VERSION,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openApiV3Schema },
          subresources: { status: {} },
          additionalPrinterColumns: definition.printerColumns,
        },
      ],
    },
  };
}
