import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import {
  Background,
  Controls,
  Edge,
  MarkerType,
  Node,
  Position,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { MemoryGraphEdge, MemoryGraphNode } from '../../api';
import {
  layoutMemoryGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
} from './layoutMemoryGraph';

export interface MemoryGraphCanvasProps {
  nodes: MemoryGraphNode[];
  edges: MemoryGraphEdge[];
  colourOf: (kind: string) => string;
  selectedId?: string;
  onSelect: (id?: string) => void;
}

/** The records as boxes coloured by kind and their edges as labelled arrows, laid out by dagre. */
export const MemoryGraphCanvas = ({
  nodes,
  edges,
  colourOf,
  selectedId,
  onSelect,
}: MemoryGraphCanvasProps) => {
  const theme = useTheme();
  const layout = useMemo(() => layoutMemoryGraph(nodes, edges), [nodes, edges]);

  const flowNodes = useMemo(
    (): Node[] =>
      nodes.map(node => {
        const colour = colourOf(node.kind);
        const selected = node.id === selectedId;
        return {
          id: node.id,
          position: layout.positions.get(node.id)!,
          data: { label: node.title },
          ariaLabel: `${node.title} (${node.kind})`,
          selected,
          connectable: false,
          // The layout runs left to right.
          sourcePosition: Position.Right,
          targetPosition: Position.Left,
          style: {
            width: NODE_WIDTH,
            minHeight: NODE_HEIGHT,
            color: theme.palette.text.primary,
            background: theme.palette.background.paper,
            border: `2px solid ${colour}`,
            borderLeft: `10px solid ${colour}`,
            boxShadow: selected ? `0 0 0 3px ${colour}` : undefined,
          },
        };
      }),
    [nodes, layout, colourOf, selectedId, theme],
  );

  const flowEdges = useMemo(
    (): Edge[] =>
      layout.edges.map(edge => ({
        id: `${edge.from}->${edge.to}:${edge.kind}`,
        source: edge.from,
        target: edge.to,
        label: edge.kind,
        ariaLabel: `${edge.from} ${edge.kind} ${edge.to}`,
        markerEnd: { type: MarkerType.ArrowClosed },
        // Body links are weaker than edges the front matter declares.
        style:
          edge.kind === 'links-to' ? { strokeDasharray: '4 4' } : undefined,
      })),
    [layout],
  );

  // fitView applies when the flow mounts: a new set of nodes (another kind filter or
  // neighbourhood) mounts a new flow, so every graph is framed whole.
  const drawingKey = useMemo(
    () => nodes.map(node => node.id).join('\n'),
    [nodes],
  );

  return (
    <Box height={560} aria-label="Memory graph" role="figure">
      <ReactFlow
        key={drawingKey}
        nodes={flowNodes}
        edges={flowEdges}
        onNodeClick={(_event, node) => onSelect(node.id)}
        onPaneClick={() => onSelect(undefined)}
        nodesDraggable={false}
        nodesConnectable={false}
        colorMode={theme.palette.type}
        minZoom={0.2}
        fitView
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </Box>
  );
};
