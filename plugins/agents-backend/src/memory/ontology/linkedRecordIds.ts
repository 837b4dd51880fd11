import { proseLines } from './proseLines';
import { linkedRecordId, recordIdOf } from './recordPaths';

const CODE_SPAN = /(`+)[^`]*?\1/g;
const INLINE_LINK =
  /\[[^\]]*\]\(\s*(<[^>]*>|[^\s()]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;

function linkTargets(line: string): string[] {
  const prose = line.replace(CODE_SPAN, '');
  const targets = [...prose.matchAll(INLINE_LINK)].map(match => match[1]);
  const definition = REFERENCE_DEFINITION.exec(prose)?.[1];
  if (definition) targets.push(definition);
  return targets.map(target => target.replace(/^<(.*)>$/, '$1'));
}

/**
 * The ids of the records that a body's Markdown links point to, relative to the record's path,
 * each once, in the order they first appear. Links inside code and links to the record itself
 * are left out.
 */
export function linkedRecordIds(recordPath: string, body: string): string[] {
  const own = recordIdOf(recordPath);
  const ids = proseLines(body)
    .flatMap(linkTargets)
    .map(target => linkedRecordId(recordPath, target))
    .filter((id): id is string => id !== undefined && id !== own);
  return [...new Set(ids)];
}
