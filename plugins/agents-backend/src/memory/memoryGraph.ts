import { MemorySnapshot } from './MemoryIndex';
import { LINKS_TO_EDGE, MemoryRecord } from './ontology';
import { canSee, MemoryReader } from './visibility';

export interface MemoryGraphNode {
  id: string;
  kind: string;
  title: string;
  /** The record's file, cited at the snapshot's commit. */
  path: string;
  owner?: string;
  repositories: string[];
}

export interface MemoryGraphEdge {
  from: string;
  to: string;
  kind: string;
}

export interface MemoryGraph {
  commit: string;
  nodes: MemoryGraphNode[];
  edges: MemoryGraphEdge[];
  /** Records left out because the reader may not see them. */
  withheld: number;
}

export interface MemoryGraphQuery {
  /** Only nodes of these kinds (the start node is always kept). */
  kinds?: string[];
  /** Only the neighbourhood of this record, `depth` edges out in either direction. */
  around?: string;
  depth?: number;
}

/** Every edge of a record: its front-matter edges, then its body links. */
export function edgesOf(record: MemoryRecord): MemoryGraphEdge[] {
  const edges: MemoryGraphEdge[] = [];
  for (const [kind, targets] of Object.entries(record.edges)) {
    for (const to of targets) edges.push({ from: record.id, to, kind });
  }
  for (const to of record.links) {
    edges.push({ from: record.id, to, kind: LINKS_TO_EDGE });
  }
  return edges;
}

/** A snapshot's nodes and edges, computed once per snapshot: every query reads them. */
interface GraphIndex {
  nodes: Map<string, MemoryGraphNode>;
  /** Edges between records (not dangling, not to themselves). */
  edges: MemoryGraphEdge[];
  /** Edges by their ends, both directions, for traversal. */
  edgesAt: Map<string, MemoryGraphEdge[]>;
  /** The records not visible to the whole org: the only ones a reader may be denied. */
  scoped: MemoryRecord[];
}

const graphIndexes = new WeakMap<MemorySnapshot, GraphIndex>();

function graphIndexOf(snapshot: MemorySnapshot): GraphIndex {
  let index = graphIndexes.get(snapshot);
  if (!index) {
    const nodes = new Map<string, MemoryGraphNode>();
    const edges: MemoryGraphEdge[] = [];
    const edgesAt = new Map<string, MemoryGraphEdge[]>();
    const scoped: MemoryRecord[] = [];
    const at = (id: string, edge: MemoryGraphEdge) => {
      const list = edgesAt.get(id);
      if (list) list.push(edge);
      else edgesAt.set(id, [edge]);
    };
    for (const record of snapshot.records.values()) {
      nodes.set(record.id, nodeOf(record));
      if (record.visibility !== 'org') scoped.push(record);
      for (const edge of edgesOf(record)) {
        if (!snapshot.records.has(edge.to) || edge.from === edge.to) continue;
        edges.push(edge);
        at(edge.from, edge);
        at(edge.to, edge);
      }
    }
    index = { nodes, edges, edgesAt, scoped };
    graphIndexes.set(snapshot, index);
  }
  return index;
}

/**
 * The graph of a snapshot as a reader may see it: hidden records are neither nodes nor ends of
 * edges, and only their number is told. Dangling edges (to ids that are no record) are left out;
 * the ontology status reports them.
 */
export function queryGraph(
  snapshot: MemorySnapshot,
  reader: MemoryReader,
  query: MemoryGraphQuery = {},
): MemoryGraph {
  const { nodes, edges, edgesAt, scoped } = graphIndexOf(snapshot);
  const hidden = new Set(
    scoped.filter(record => !canSee(record, reader)).map(record => record.id),
  );
  const kinds = query.kinds?.length ? new Set(query.kinds) : undefined;
  const keep = (node: MemoryGraphNode) =>
    !hidden.has(node.id) &&
    (node.id === query.around || !kinds || kinds.has(node.kind));

  let kept: MemoryGraphNode[];
  let candidates: MemoryGraphEdge[];
  if (query.around === undefined) {
    kept =
      hidden.size === 0 && !kinds
        ? [...nodes.values()]
        : [...nodes.values()].filter(keep);
    candidates = edges;
  } else {
    const reached = hidden.has(query.around)
      ? []
      : [...neighbourhood(query.around, edgesAt, hidden, query.depth ?? 1)];
    kept = reached.map(id => nodes.get(id)!).filter(keep);
    candidates = kept.flatMap(node => edgesAt.get(node.id) ?? []);
  }
  return {
    commit: snapshot.commit,
    nodes: kept,
    edges:
      query.around === undefined && kept.length === nodes.size
        ? edges
        : edgesBetween(kept, candidates, query.around !== undefined),
    withheld: hidden.size,
  };
}

/** The candidate edges with both ends among the nodes; `twice` when an edge may come twice. */
function edgesBetween(
  nodes: MemoryGraphNode[],
  candidates: MemoryGraphEdge[],
  twice: boolean,
): MemoryGraphEdge[] {
  const ids = new Set(nodes.map(node => node.id));
  const seen = twice ? new Set<MemoryGraphEdge>() : undefined;
  return candidates.filter(edge => {
    if (!ids.has(edge.from) || !ids.has(edge.to) || seen?.has(edge)) {
      return false;
    }
    seen?.add(edge);
    return true;
  });
}

/** The records within `depth` edges of `start`, in either direction, around hidden ones. */
function neighbourhood(
  start: string,
  edgesAt: Map<string, MemoryGraphEdge[]>,
  hidden: Set<string>,
  depth: number,
): Set<string> {
  const reached = new Set([start]);
  let frontier = [start];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const edge of edgesAt.get(id) ?? []) {
        const other = edge.from === id ? edge.to : edge.from;
        if (!hidden.has(other) && !reached.has(other)) {
          reached.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return reached;
}

export function nodeOf(record: MemoryRecord): MemoryGraphNode {
  return {
    id: record.id,
    kind: record.kind,
    title: record.title,
    path: record.path,
    ...(record.owner ? { owner: record.owner } : {}),
    repositories: record.repositories,
  };
}
