import {
  BUILT_IN_FIELD_TYPES,
  EDGES_FIELD,
  isBuiltInField,
} from './builtInFields';
import {
  fieldValueProblems,
  isEntityRef,
  isRepositorySlug,
} from './fieldValueProblems';
import { RecordVisibility } from './MemoryRecord';
import { describeValue, FieldProblem, isMapping, ownValue } from './yamlShapes';

/** The record fields a front matter gives; those it gives wrong are left out. */
export interface FrontMatterFields {
  kind?: string;
  id?: string;
  title?: string;
  owner?: string;
  repositories: string[];
  visibility: RecordVisibility;
  reviewed?: string;
  sources: string[];
  edges: Record<string, string[]>;
  fields: Record<string, unknown>;
}

class FieldReader {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly mapping: Record<string, unknown>) {}

  /** A built-in field's value when it has its type; a field set to `null` counts as absent. */
  typed<T>(field: string): T | undefined {
    const value = ownValue(this.mapping, field);
    if (value === undefined || value === null) return undefined;
    const type = BUILT_IN_FIELD_TYPES.get(field)!;
    return this.unless(fieldValueProblems(field, value, type), value as T);
  }

  unless<T>(problems: FieldProblem[], value: T): T | undefined {
    this.problems.push(...problems);
    return problems.length > 0 ? undefined : value;
  }
}

function kindOf(reader: FieldReader): string | undefined {
  const kind = reader.typed<string>('kind');
  if (kind === undefined && !reader.problems.some(p => p.field === 'kind')) {
    reader.problems.push({
      field: 'kind',
      message: 'is required: a front matter names the kind of its record',
    });
  }
  return kind;
}

function repositoriesOf(reader: FieldReader): string[] {
  const repositories = reader.typed<string[]>('repositories') ?? [];
  const problems = repositories
    .map((repository, index) => ({ repository, index }))
    .filter(({ repository }) => !isEntityRef(repository))
    .filter(({ repository }) => !isRepositorySlug(repository))
    .map(({ repository, index }) => ({
      field: `repositories[${index}]`,
      message: `must be an entity ref or an <org>/<repo> slug, not '${repository}'`,
    }));
  return reader.unless(problems, repositories) ?? [];
}

function visibilityOf(reader: FieldReader): RecordVisibility {
  const visibility = reader.typed<string>('visibility') ?? 'org';
  const team = visibility.startsWith('team:') && visibility.slice(5);
  if (visibility === 'org' || (team && isEntityRef(team))) {
    return visibility as RecordVisibility;
  }
  reader.problems.push({
    field: 'visibility',
    message: `must be org or team:<entity ref> such as team:group:default/payments, not '${visibility}'`,
  });
  return 'org';
}

function edgesOf(reader: FieldReader, value: unknown) {
  const edges: Record<string, string[]> = {};
  if (value === undefined || value === null) return edges;
  if (!isMapping(value)) {
    const message = `must be a mapping of edge kind to target ids, not ${describeValue(
      value,
    )}`;
    reader.problems.push({ field: EDGES_FIELD, message });
    return edges;
  }
  for (const [edgeKind, targets] of Object.entries(value)) {
    const field = `${EDGES_FIELD}.${edgeKind}`;
    const valid = reader.unless(
      fieldValueProblems(field, targets, 'stringList'),
      targets as string[],
    );
    if (valid) edges[edgeKind] = valid;
  }
  return edges;
}

/** Reads the built-in record fields of a front matter, checking their types and formats. */
export function readFrontMatterFields(mapping: Record<string, unknown>): {
  values: FrontMatterFields;
  problems: FieldProblem[];
} {
  const reader = new FieldReader(mapping);
  const values: FrontMatterFields = {
    kind: kindOf(reader),
    id: reader.typed<string>('id'),
    title: reader.typed<string>('title'),
    owner: reader.typed<string>('owner'),
    repositories: repositoriesOf(reader),
    visibility: visibilityOf(reader),
    reviewed: reader.typed<string>('reviewed'),
    sources: reader.typed<string[]>('sources') ?? [],
    edges: edgesOf(reader, ownValue(mapping, EDGES_FIELD)),
    fields: Object.fromEntries(
      Object.entries(mapping).filter(([field]) => !isBuiltInField(field)),
    ),
  };
  return { values, problems: reader.problems };
}
