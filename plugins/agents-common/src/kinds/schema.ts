import { Static, TSchema, Type } from '@sinclair/typebox';

/**
 * Schema helpers that keep every kind's schema a valid Kubernetes structural schema: no `anyOf`
 * but unions of objects (which the CRD renderer folds into one object),
 * maps as `additionalProperties`, closed objects marked with `additionalProperties: false` (which
 * the CRD renderer drops, since the API server prunes unknown fields instead).
 */

/** A closed object: unknown fields are a validation error. @public */
export function Obj<T extends Parameters<typeof Type.Object>[0]>(
  properties: T,
  options: { description?: string } = {},
) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** A string → string map, such as labels. @public */
export function StringMap(options: { description?: string } = {}) {
  return Type.Unsafe<Record<string, string>>({
    type: 'object',
    additionalProperties: { type: 'string' },
    ...options,
  });
}

/** One of a fixed set of strings. @public */
export function StringEnum<T extends readonly string[]>(
  values: [...T],
  options: { description?: string; default?: T[number] } = {},
) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });
}

/** Free-form JSON (e.g. a sample event): kept as is, not validated. @public */
export function AnyJson(options: { description?: string } = {}) {
  return Type.Unsafe<unknown>({
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    ...options,
  });
}

/** A DNS-1123 label, as Kubernetes names and namespaces are. @public */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/** Entity refs of users or groups, e.g. `group:default/payments` or `user:default/ana`. @public */
export const EntityRefs = (description: string) =>
  Type.Array(
    Type.String({
      pattern: '^(user|group):([a-z0-9._-]+/)?[A-Za-z0-9._-]+$',
      description: 'user:<namespace>/<name> or group:<namespace>/<name>',
    }),
    { description, maxItems: 50 },
  );

/** The name of another resource in the same namespace. @public */
export const LocalName = (description: string) =>
  Type.String({ pattern: DNS_LABEL_PATTERN, maxLength: 63, description });

/** A key of a Secret or ConfigMap, as Kubernetes allows them. @public */
export const DataKey = (description = 'Key in the Secret or ConfigMap') =>
  Type.String({ pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253, description });

/** A content digest, `sha256:<64 hex digits>`. @public */
export const Sha256Digest = (description: string) =>
  Type.String({ pattern: '^sha256:[a-f0-9]{64}$', description });

/** A point in time, RFC 3339. @public */
export const Timestamp = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/** A reference to a resource of a known kind in the same namespace. @public */
export const LocalObjectReference = Obj({
  name: Type.String({ pattern: DNS_LABEL_PATTERN, maxLength: 63 }),
});

/** A status condition. @public */
export const Condition = Obj({
  type: Type.String({ description: 'Ready, Warning, Invalid, …' }),
  status: StringEnum(['True', 'False', 'Unknown']),
  reason: Type.String({ description: 'CamelCase machine-readable reason' }),
  message: Type.String({ description: 'What is wrong and how to fix it' }),
  lastTransitionTime: Type.String({ format: 'date-time' }),
});

/** @public */
export type Condition = Static<typeof Condition>;

/** Money and tokens an attempt or run used, rolled up from its events. @public */
export const CostSummary = Obj({
  usd: Type.Number({ minimum: 0 }),
  inputTokens: Type.Integer({ minimum: 0 }),
  outputTokens: Type.Integer({ minimum: 0 }),
});

/** Status fields every kind has. @public */
export const BaseStatusFields = {
  observedGeneration: Type.Optional(Type.Integer({ minimum: 0 })),
  conditions: Type.Optional(Type.Array(Condition)),
};

/** Re-exported so kind files need one import. @public */
export { Type };
/** @public */
export type { Static, TSchema };
