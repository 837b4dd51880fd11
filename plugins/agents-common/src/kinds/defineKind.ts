import { Static, TObject, TSchema, Type } from '@sinclair/typebox';
import { AGENTS_API_GROUP_VERSION } from '../constants';
import { ObjectMeta } from './meta';

/**
 * `configuration` kinds are low-cardinality declarative objects backed by CRDs; `execution` kinds
 * are high-cardinality records that live in the database only.
 * @public
 */
export type AgentKindCategory = 'configuration' | 'execution';

/** A column `kubectl get` shows for a kind, rendered into the CRD. @public */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple path into the object, e.g. `.status.phase`. */
  jsonPath: string;
  description?: string;
}

/**
 * Indexed list filters of an execution kind: each names a dotted path into the object whose
 * value is copied into an indexed column, e.g. `spec.repository`.
 * @public
 */
export interface ExecutionIndexes {
  repository?: string;
  stack?: string;
  phase?: string;
  source?: string;
}

/** Everything the API, storage, CRDs and UI know about a kind. @public */
export interface AgentKindDefinition<
  TSpec extends TSchema = TSchema,
  TStatus extends TSchema = TSchema,
  K extends string = string,
> {
  kind: K;
  /** Lower-case plural used in URLs and CRD names, e.g. `agentstacks`. */
  plural: string;
  singular: string;
  shortNames: string[];
  category: AgentKindCategory;
  description: string;
  spec: TSpec;
  status: TStatus;
  printerColumns: PrinterColumn[];
  /** Execution kinds only. */
  indexes?: ExecutionIndexes;
  /** The whole object's schema: apiVersion, kind, metadata, spec, status. */
  schema: TObject;
}

/** Defines a kind and derives its object schema. @public */
export function defineKind<
  K extends string,
  TSpec extends TSchema,
  TStatus extends TSchema,
>(
  definition: Omit<
    AgentKindDefinition<TSpec, TStatus, K>,
    'schema' | 'singular'
  >,
) {
  const schema = Type.Object(
    {
      apiVersion: Type.Literal(AGENTS_API_GROUP_VERSION),
      kind: Type.Literal(definition.kind),
      metadata: ObjectMeta,
      spec: definition.spec,
      status: Type.Optional(definition.status),
    },
    { additionalProperties: false, description: definition.description },
  );
  return {
    ...definition,
    singular: definition.kind.toLowerCase(),
    schema,
  } satisfies AgentKindDefinition<TSpec, TStatus, K>;
}

/** The TypeScript type of a kind's objects. @public */
export type ResourceOf<
  D extends { kind: string; spec: TSchema; status: TSchema },
> = {
  apiVersion: typeof AGENTS_API_GROUP_VERSION;
  kind: D['kind'];
  metadata: ObjectMeta;
  spec: Static<D['spec']>;
  status?: Static<D['status']>;
};
