import dagre from '@dagrejs/dagre';
import { AccessGraphEdge, AccessGraphNode } from '@krate/plugin-agents-common';

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 44;

export interface GrantGraphLayout {
  /** Top-left corner of each node, as React Flow places nodes. */
  positions: Map<string, { x: number; y: number }>;
  /** The edges between drawn nodes; an edge to a node left out has nowhere to go. */
  edges: AccessGraphEdge[];
}

/** Places subjects, bindings, roles, grants and what they grant left to right with dagre. */
export function layoutGrantGraph(
  nodes: AccessGraphNode[],
  edges: AccessGraphEdge[],
): GrantGraphLayout {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  // Room between ranks for the edge labels.
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 110 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    graph.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  const drawn = edges.filter(
    edge => graph.hasNode(edge.from) && graph.hasNode(edge.to),
  );
  for (const edge of drawn) {
    graph.setEdge(edge.from, edge.to, {}, edge.label ?? '');
  }
  dagre.layout(graph);

  const positions = new Map<string, { x: number; y: number }>();
  for (const node of nodes) {
    const { x, y } = graph.node(node.id);
    positions.set(node.id, { x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 });
  }
  return { positions, edges: drawn };
}
