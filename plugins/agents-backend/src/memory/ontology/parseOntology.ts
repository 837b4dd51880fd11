import { DOCUMENT_NODE_KIND, LINKS_TO_EDGE_KIND } from './implicitKinds';
import { RecordIssue } from './MemoryRecord';
import { DOCUMENT_KIND, ONTOLOGY_FILE, Ontology } from './Ontology';
import { parseYamlMapping } from './parseYamlMapping';
import { readEdgeKinds } from './readEdgeKinds';
import { readNodeKinds } from './readNodeKinds';
import { unknownKeyProblems } from './yamlShapes';

/**
 * Reads and checks `ontology.yaml`: its `nodeKinds` (with their required and typed fields) and
 * `edgeKinds` (with the node kinds they go from and to). Every problem names the file and the
 * path of the bad field, such as `edgeKinds.owns.to[1]`; the ontology is returned only when there
 * are none. The node kind `document` and the edge kind `links-to` are always part of it.
 */
export function parseOntology(text: string): {
  ontology?: Ontology;
  errors: RecordIssue[];
} {
  const { mapping, errors } = parseYamlMapping(text, {
    file: ONTOLOGY_FILE,
    field: 'yaml',
    firstLine: 1,
  });
  if (!mapping) return { errors };
  const nodes = readNodeKinds(mapping.nodeKinds);
  const edges = readEdgeKinds(mapping.edgeKinds, [
    DOCUMENT_KIND,
    ...nodes.names,
  ]);
  const problems = [
    ...unknownKeyProblems(mapping, ['nodeKinds', 'edgeKinds'], ''),
    ...nodes.problems,
    ...edges.problems,
  ];
  if (problems.length > 0) {
    return {
      errors: problems.map(problem => ({ file: ONTOLOGY_FILE, ...problem })),
    };
  }
  const nodeKinds = [DOCUMENT_NODE_KIND, ...nodes.kinds];
  const edgeKinds = [LINKS_TO_EDGE_KIND, ...edges.kinds];
  return {
    ontology: {
      nodeKinds: new Map(nodeKinds.map(kind => [kind.name, kind])),
      edgeKinds: new Map(edgeKinds.map(kind => [kind.name, kind])),
    },
    errors: [],
  };
}
