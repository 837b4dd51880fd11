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
  const visible = new Map<string, MemoryRecord>();
  let withheld = 0;
  for (const record of snapshot.records.values()) {
    if (canSee(record, reader)) visible.set(record.id, record);
    else withheld++;
  }
  let edges = [...visible.values()]
    .flatMap(edgesOf)
    .filter(edge => visible.has(edge.to) && edge.from !== edge.to);

  let ids = new Set(visible.keys());
  if (query.around !== undefined) {
    ids = neighbourhood(query.around, edges, query.depth ?? 1);
    if (!visible.has(query.around)) ids = new Set();
  }
  if (query.kinds?.length) {
    const kinds = new Set(query.kinds);
    ids = new Set(
      [...ids].filter(
        id => id === query.around || kinds.has(visible.get(id)!.kind),
      ),
    );
  }
  edges = edges.filter(edge => ids.has(edge.from) && ids.has(edge.to));
  return {
    commit: snapshot.commit,
    nodes: [...ids].map(id => nodeOf(visible.get(id)!)),
    edges,
    withheld,
  };
}

function neighbourhood(
  start: string,
  edges: MemoryGraphEdge[],
  depth: number,
): Set<string> {
  const adjacent = new Map<string, string[]>();
  for (const { from, to } of edges) {
    adjacent.set(from, [...(adjacent.get(from) ?? []), to]);
    adjacent.set(to, [...(adjacent.get(to) ?? []), from]);
  }
  const seen = new Set([start]);
  let frontier = [start];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    frontier = frontier
      .flatMap(id => adjacent.get(id) ?? [])
      .filter(id => !seen.has(id));
    frontier.forEach(id => seen.add(id));
  }
  return seen;
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
