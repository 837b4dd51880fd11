import { AccessGraphEdge, AccessGraphNode } from '@krate/plugin-agents-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
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
import { GRANT_GRAPH_KINDS, grantKindColour } from './grantKindColours';
import { layoutGrantGraph, NODE_HEIGHT, NODE_WIDTH } from './layoutGrantGraph';

export interface GrantGraphProps {
  nodes: AccessGraphNode[];
  edges: AccessGraphEdge[];
}

/**
 * Who is bound to which role and granted which keys, drawn: nodes coloured by kind, edges
 * labelled with what links them, laid out left to right by dagre.
 */
export const GrantGraph = ({ nodes, edges }: GrantGraphProps) => {
  const theme = useTheme();
  const layout = useMemo(() => layoutGrantGraph(nodes, edges), [nodes, edges]);
  const labels = useMemo(
    () => new Map(nodes.map(node => [node.id, node.label])),
    [nodes],
  );

  const flowNodes = useMemo(
    (): Node[] =>
      nodes.map(node => {
        const colour = grantKindColour(node.kind);
        return {
          id: node.id,
          position: layout.positions.get(node.id)!,
          data: { label: node.label },
          ariaLabel: `${node.label} (${node.kind})`,
          connectable: false,
          sourcePosition: Position.Right,
          targetPosition: Position.Left,
          style: {
            width: NODE_WIDTH,
            minHeight: NODE_HEIGHT,
            color: theme.palette.text.primary,
            background: theme.palette.background.paper,
            border: `2px solid ${colour}`,
            borderLeft: `10px solid ${colour}`,
          },
        };
      }),
    [nodes, layout, theme],
  );

  const flowEdges = useMemo(
    (): Edge[] =>
      layout.edges.map(edge => ({
        id: `${edge.from}->${edge.to}:${edge.label ?? ''}`,
        source: edge.from,
        target: edge.to,
        label: edge.label,
        ariaLabel: `${labels.get(edge.from)} ${edge.label ?? '→'} ${labels.get(
          edge.to,
        )}`,
        markerEnd: { type: MarkerType.ArrowClosed },
      })),
    [layout, labels],
  );

  // fitView applies when the flow mounts: a new set of nodes mounts a new flow.
  const drawingKey = useMemo(
    () => nodes.map(node => node.id).join('\n'),
    [nodes],
  );
  const kinds = GRANT_GRAPH_KINDS.filter(kind =>
    nodes.some(node => node.kind === kind),
  );

  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        gridGap={8}
        mb={1}
        role="list"
        aria-label="Node kinds"
      >
        {kinds.map(kind => (
          <Chip
            key={kind}
            role="listitem"
            size="small"
            variant="outlined"
            label={kind}
            style={{ borderLeft: `8px solid ${grantKindColour(kind)}` }}
          />
        ))}
      </Box>
      <Box height={480} aria-label="Grant graph" role="figure">
        <ReactFlow
          key={drawingKey}
          nodes={flowNodes}
          edges={flowEdges}
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
    </>
  );
};
