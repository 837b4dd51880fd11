import { fieldValueProblems } from './fieldValueProblems';
import { kindNameProblems } from './kindNames';
import { ANY_KIND, EdgeKind, LINKS_TO_EDGE } from './Ontology';
import {
  describeValue,
  FieldProblem,
  isMapping,
  unknownKeyProblems,
} from './yamlShapes';

const EDGE_KIND_KEYS = ['description', 'from', 'to'];

function endKinds(
  value: unknown,
  at: string,
  nodeKinds: string[],
  problems: FieldProblem[],
): string[] {
  if (value === undefined) {
    problems.push({
      field: at,
      message: `is required: a list of node kinds or '${ANY_KIND}'`,
    });
    return [];
  }
  const listProblems = fieldValueProblems(at, value, 'stringList');
  problems.push(...listProblems);
  if (listProblems.length > 0) return [];
  const kinds = value as string[];
  if (kinds.length === 0) {
    problems.push({
      field: at,
      message: `must list at least one node kind or '${ANY_KIND}'`,
    });
  }
  kinds.forEach((kind, index) => {
    if (kind === ANY_KIND || nodeKinds.includes(kind)) return;
    problems.push({
      field: `${at}[${index}]`,
      message: `names '${kind}', which is not a node kind (known: ${nodeKinds.join(
        ', ',
      )})`,
    });
  });
  return kinds;
}

function edgeKindOf(
  name: string,
  body: unknown,
  nodeKinds: string[],
  problems: FieldProblem[],
): EdgeKind | undefined {
  const at = `edgeKinds.${name}`;
  problems.push(...kindNameProblems(name, at));
  if (name === LINKS_TO_EDGE) {
    const message = "is built in: it is the edge of a body's Markdown links";
    problems.push({ field: at, message });
  }
  if (!isMapping(body)) {
    const message = `must be a mapping with from and to, not ${describeValue(
      body,
    )}`;
    problems.push({ field: at, message });
    return undefined;
  }
  problems.push(...unknownKeyProblems(body, EDGE_KIND_KEYS, at));
  const { description } = body;
  if (description !== undefined) {
    problems.push(
      ...fieldValueProblems(`${at}.description`, description, 'string'),
    );
  }
  const kind: EdgeKind = {
    name,
    from: endKinds(body.from, `${at}.from`, nodeKinds, problems),
    to: endKinds(body.to, `${at}.to`, nodeKinds, problems),
  };
  if (typeof description === 'string') kind.description = description;
  return kind;
}

/** Reads `edgeKinds` of `ontology.yaml`, whose ends must name node kinds of `nodeKinds`. */
export function readEdgeKinds(
  value: unknown,
  nodeKinds: string[],
): { kinds: EdgeKind[]; problems: FieldProblem[] } {
  if (value === undefined || value === null) return { kinds: [], problems: [] };
  if (!isMapping(value)) {
    const message = `must be a mapping of edge kind name to its definition, not ${describeValue(
      value,
    )}`;
    return { kinds: [], problems: [{ field: 'edgeKinds', message }] };
  }
  const problems: FieldProblem[] = [];
  const kinds = Object.entries(value)
    .map(([name, body]) => edgeKindOf(name, body, nodeKinds, problems))
    .filter((kind): kind is EdgeKind => kind !== undefined);
  return { kinds, problems };
}
