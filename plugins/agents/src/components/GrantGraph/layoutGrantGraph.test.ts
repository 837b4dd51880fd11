import { permissionsOverviewFixture } from '../../__testUtils__/accessFixtures';
import { layoutGrantGraph, NODE_WIDTH } from './layoutGrantGraph';

describe('layoutGrantGraph', () => {
  it('places every node and runs each edge left to right', () => {
    const { nodes, edges } = permissionsOverviewFixture().graph;
    const layout = layoutGrantGraph(nodes, edges);
    expect([...layout.positions.keys()]).toEqual(nodes.map(n => n.id));
    expect(layout.edges).toEqual(edges);
    for (const edge of edges) {
      expect(layout.positions.get(edge.from)!.x + NODE_WIDTH).toBeLessThan(
        layout.positions.get(edge.to)!.x,
      );
    }
  });

  it('leaves out edges to nodes that are not drawn', () => {
    const layout = layoutGrantGraph(
      [{ id: 'a', kind: 'user', label: 'a' }],
      [{ from: 'a', to: 'gone', label: 'subject of' }],
    );
    expect(layout.edges).toEqual([]);
    expect(layout.positions.get('a')).toBeDefined();
  });
});
