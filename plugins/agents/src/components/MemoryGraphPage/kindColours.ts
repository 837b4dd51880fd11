// Tableau 10: distinct at a glance, readable on light and dark backgrounds.
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/**
 * A colour per record kind: the ontology's kinds in its order, so that a kind keeps its colour
 * whatever the filter; kinds it does not name get one from their name.
 */
export function kindColours(kinds: string[]): (kind: string) => string {
  return kind => {
    const index = kinds.indexOf(kind);
    if (index >= 0) return PALETTE[index % PALETTE.length];
    let hash = 0;
    for (const char of kind) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return PALETTE[hash % PALETTE.length];
  };
}
