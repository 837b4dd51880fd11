import { memoryGraphFixture } from '../../__testUtils__/memoryFixtures';
import {
  layoutMemoryGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
} from './layoutMemoryGraph';

describe('layoutMemoryGraph', () => {
  const { nodes, edges } = memoryGraphFixture();

  it('places every record left of the records its edges point to, without overlaps', () => {
    const { positions } = layoutMemoryGraph(nodes, edges);
    const at = (id: string) => positions.get(id)!;
    expect(at('teams/payments').x).toBeLessThan(at('services/payments-api').x);
    expect(at('services/payments-api').x).toBeLessThan(at('services/ledger').x);
    const boxes = [...positions.values()];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) >= NODE_WIDTH ||
          Math.abs(a.y - b.y) >= NODE_HEIGHT;
        expect(apart).toBe(true);
      }
    }
  });

  it('keeps edges of several kinds between the same records and drops edges to records not drawn', () => {
    const layout = layoutMemoryGraph(nodes, [
      ...edges,
      { from: 'teams/payments', to: 'services/payments-api', kind: 'links-to' },
      { from: 'services/ledger', to: 'incidents/hidden', kind: 'links-to' },
    ]);
    expect(layout.edges.map(e => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      'teams/payments owns services/payments-api',
      'services/payments-api depends-on services/ledger',
      'teams/payments links-to services/payments-api',
    ]);
  });
});
