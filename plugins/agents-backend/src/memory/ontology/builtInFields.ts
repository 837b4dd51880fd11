import { FieldType } from './Ontology';

/**
 * The front-matter fields every record may have, with the types `parseRecord` holds them to. An
 * ontology may restate these types but not change them. `edges` has a shape, not a type.
 */
export const BUILT_IN_FIELD_TYPES: ReadonlyMap<string, FieldType> = new Map<
  string,
  FieldType
>([
  ['kind', 'string'],
  ['id', 'string'],
  ['title', 'string'],
  ['owner', 'entityRef'],
  ['repositories', 'stringList'],
  ['visibility', 'string'],
  ['reviewed', 'date'],
  ['sources', 'stringList'],
]);

export const EDGES_FIELD = 'edges';

export function isBuiltInField(name: string): boolean {
  return BUILT_IN_FIELD_TYPES.has(name) || name === EDGES_FIELD;
}
