import { CST, Lexer } from 'yaml';

/** Tokens that open a nested node on the line they sit on: `- - - a` nests three deep. */
const INDICATORS = new Set([
  'seq-item-ind',
  'explicit-key-ind',
  'map-value-ind',
]);

/** What a YAML text's tokens alone tell about it, before any document is built. */
export interface YamlScan {
  /** Document separators (`---`) seen. */
  separators: number;
  /** The line where nesting first passed the limit. */
  tooDeepAtLine?: number;
}

/**
 * Scans a YAML text's tokens for how many documents it separates and where it may nest deeper
 * than `limit`, counting open indentation levels, block indicators on the line (`- - -`,
 * `a: a:`) and open flow collections (`[[[`). The parser builds documents recursively — a
 * thousand indentation levels overflow its stack, a megabyte of `[` takes it seconds — so this
 * runs first, in one pass without recursion. It may overcount a level or two; never undercount.
 */
export function scanYaml(text: string, limit: number): YamlScan {
  let separators = 0;
  let line = 1;
  let flowDepth = 0;
  let indicatorsOnLine = 0;
  let atLineStart = true;
  const indents: number[] = [];
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'newline') {
      line++;
      indicatorsOnLine = 0;
      atLineStart = true;
      continue;
    }
    line += token.split('\n').length - 1;
    if (atLineStart && flowDepth === 0 && type !== 'comment') {
      const indent = type === 'space' ? token.length : 0;
      while (indents.length > 0 && indents[indents.length - 1] >= indent) {
        indents.pop();
      }
      indents.push(indent);
    }
    atLineStart = false;
    if (type === 'doc-start') {
      separators++;
      indents.length = 0;
    } else if (type === 'flow-map-start' || type === 'flow-seq-start') {
      flowDepth++;
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      flowDepth--;
    } else if (type && INDICATORS.has(type)) {
      indicatorsOnLine++;
    }
    if (indents.length + indicatorsOnLine + flowDepth > limit) {
      return { separators, tooDeepAtLine: line };
    }
  }
  return { separators };
}
